package io.cmstream.streamer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.clip.FrameDirectory;
import io.cmstream.ava.video.FrameExtractor;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.streamer.clip.Clip;
import io.cmstream.streamer.persons.PersonBox;
import io.cmstream.streamer.persons.PersonBoxSource;
import io.cmstream.streamer.publish.CollectingSink;
import io.cmstream.streamer.video.TestPatternVideo;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipStreamerTest {
  /** T = 8 frames, stride 4 at 30 fps: a clip spans 32 frames, more than a second (edges clamp). */
  private static final ClipSpec SPEC = ClipSpec.of(8, 4, 30, 96);

  @TempDir Path dir;

  /** Remembers which frame each keyframe second showed, and returns one box per second. */
  private static final class KeyframeSpy implements PersonBoxSource {
    final Map<Integer, Integer> keyframeCode = new HashMap<>();

    @Override
    public List<PersonBox> boxes(int second, Mat keyframe) {
      keyframeCode.put(second, TestPatternVideo.read(keyframe));
      return List.of(new PersonBox(0.1, 0.2, 0.3, 0.4, second / 1000.0));
    }

    @Override
    public String name() {
      return "spy";
    }
  }

  private static StreamSettings settings(Path video, int sendShortSide) {
    return new StreamSettings(
        video.toString(),
        null,
        SPEC,
        sendShortSide,
        90,
        false,
        0,
        ReconnectPolicy.defaults(),
        5000);
  }

  /**
   * The source frame the clip pipeline's rule shows at output frame k: last one at or before k/fps
   * + 1 ms.
   */
  private static int shownAt(long[] times, int k) {
    double t = k * 1_000_000.0 / SPEC.fps();
    int j = 0;
    while (j + 1 < times.length && times[j + 1] - 1000 <= t) {
      j++;
    }
    return j;
  }

  private static int outputFrames(long[] times) {
    int n = times.length;
    long end = times[n - 1] + (times[n - 1] - times[n - 2]);
    int k = 0;
    while (k * 1_000_000.0 / SPEC.fps() < end - 1000) {
      k++;
    }
    return k;
  }

  private static int decodeCode(byte[] jpeg) {
    try (Mat buf = new Mat(new BytePointer(jpeg));
        Mat img = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR)) {
      return TestPatternVideo.read(img);
    }
  }

  private void assertClipsFollowTheTimestamps(Path video, long[] times, int expectedSeconds)
      throws Exception {
    KeyframeSpy spy = new KeyframeSpy();
    CollectingSink sink = new CollectingSink();
    StreamSummary summary =
        new ClipStreamer(settings(video, 96)).run(spy, sink, StreamListener.NONE, () -> false);

    int n = outputFrames(times);
    // the same video through `ava-tools frames` (the frame folders training reads)
    Path framesRoot = dir.resolve("frames");
    int extracted = new FrameExtractor(SPEC.fps(), 0.95f).extract(video, framesRoot, x -> {});
    assertEquals(n, extracted, "as many frames at the model fps as ava-tools frames extracts");
    FrameDirectory folder = new FrameDirectory(framesRoot, FrameExtractor.videoId(video));
    assertEquals(expectedSeconds, sink.clips.size(), "one clip per whole second");
    assertEquals(expectedSeconds, summary.clips());
    for (int s = 0; s < sink.clips.size(); s++) {
      Clip clip = sink.clips.get(s);
      assertEquals(s, clip.second());
      assertEquals(s * 1000L, clip.mediaTimeMs());
      assertEquals(SPEC.frames(), clip.frames().size(), "exactly T frames");
      int[] idx = SPEC.frameIndices(s, n);
      for (int i = 0; i < idx.length; i++) {
        int expected = shownAt(times, idx[i]);
        assertEquals(expected, decodeCode(clip.frames().get(i)), "second " + s + " frame " + i);
        assertEquals(
            expected,
            decodeCode(folder.jpeg(idx[i])),
            "ava-tools frames, second " + s + " frame " + i);
        assertEquals(
            times[expected],
            clip.frameSourceMicros().get(i),
            1000,
            "source time, second " + s + " frame " + i);
      }
      assertEquals(
          shownAt(times, SPEC.centerFrame(s)), spy.keyframeCode.get(s), "keyframe of second " + s);
      assertEquals(
          List.of(new PersonBox(0.1, 0.2, 0.3, 0.4, s / 1000.0)),
          clip.boxes(),
          "boxes of second " + s);
      assertEquals(
          s == expectedSeconds - 1, clip.endOfStream(), "end-of-stream only on the last clip");
      assertNull(clip.captureTimeMs(), "files read faster than real time have no capture time");
      assertEquals(96, Math.min(clip.width(), clip.height()));
    }
  }

  @Test
  void shouldCutOneClipPerWholeSecondOf2997FpsVideo() throws Exception {
    long[] times = TestPatternVideo.constantTimes(300, 30000.0 / 1001); // 10.01 s
    Path video = dir.resolve("ntsc.avi");
    TestPatternVideo.write(video, 160, 120, 30000.0 / 1001, times);
    assertClipsFollowTheTimestamps(video, times, 10);
  }

  @Test
  void shouldCutOneClipPerWholeSecondOf25FpsVideo() throws Exception {
    long[] times = TestPatternVideo.constantTimes(262, 25); // 10.48 s: 10 whole seconds
    Path video = dir.resolve("pal.avi");
    TestPatternVideo.write(video, 160, 120, 25, times);
    assertClipsFollowTheTimestamps(video, times, 10);
  }

  @Test
  void shouldFollowTheTimestampsOfVariableFrameRateVideo() throws Exception {
    // bursts and stalls: 12 to 60 fps, 6.5 s in all
    long[] times = new long[160];
    long t = 0;
    for (int i = 0; i < times.length; i++) {
      times[i] = t;
      t +=
          switch ((i / 20) % 4) {
                case 0 -> 17;
                case 1 -> 83;
                case 2 -> 33;
                default -> 50;
              }
              * 1000L;
    }
    Path video = dir.resolve("vfr.mkv");
    TestPatternVideo.write(video, 160, 120, 30, times);
    int expectedSeconds = (int) Math.floor((times[times.length - 1] + 50_000) / 1e6);
    assertClipsFollowTheTimestamps(video, times, expectedSeconds);
  }

  @Test
  void shouldKeepTheDecodedSizeWhenAskedTo() throws Exception {
    Path video = dir.resolve("small.avi");
    TestPatternVideo.write(video, 160, 120, 30, TestPatternVideo.constantTimes(45, 30));
    CollectingSink sink = new CollectingSink();
    new ClipStreamer(settings(video, 0))
        .run(new KeyframeSpy(), sink, StreamListener.NONE, () -> false);
    assertEquals(1, sink.clips.size());
    assertEquals(160, sink.clips.get(0).width());
    assertEquals(120, sink.clips.get(0).height());
    assertTrue(sink.clips.get(0).endOfStream());
  }

  @Test
  void shouldPaceAFileLikeACameraWhenRealtime() throws Exception {
    Path video = dir.resolve("camera.avi");
    TestPatternVideo.write(video, 160, 120, 30, TestPatternVideo.constantTimes(60, 30)); // 2 s
    StreamSettings realtime =
        new StreamSettings(
            video.toString(), null, SPEC, 0, 90, true, 0, ReconnectPolicy.defaults(), 5000);
    CollectingSink sink = new CollectingSink();
    long t0 = System.nanoTime();
    new ClipStreamer(realtime).run(new KeyframeSpy(), sink, StreamListener.NONE, () -> false);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds >= 1.9, "2 s of video took " + seconds + " s");
    assertEquals(2, sink.clips.size());
    long gap = sink.clips.get(1).captureTimeMs() - sink.clips.get(0).captureTimeMs();
    assertTrue(gap > 700 && gap < 1500, "keyframes captured a second apart: " + gap + " ms");
  }

  @Test
  void shouldEndTheStreamWhenStopped() throws Exception {
    Path video = dir.resolve("long.avi");
    TestPatternVideo.write(video, 160, 120, 30, TestPatternVideo.constantTimes(300, 30));
    CollectingSink sink = new CollectingSink();
    int[] grabs = {0};
    StreamSummary summary =
        new ClipStreamer(settings(video, 0))
            .run(new KeyframeSpy(), sink, StreamListener.NONE, () -> ++grabs[0] > 100);
    assertTrue(summary.stopped());
    assertFalse(sink.clips.isEmpty());
    assertTrue(sink.clips.size() <= 4, "stopped after 100 frames (3.3 s)");
    assertTrue(sink.clips.get(sink.clips.size() - 1).endOfStream());
  }
}
