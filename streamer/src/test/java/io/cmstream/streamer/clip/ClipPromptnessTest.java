package io.cmstream.streamer.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.clip.ClipSpec;
import io.cmstream.streamer.persons.NoPersons;
import io.cmstream.streamer.publish.EndOfStreamMarker;
import io.cmstream.streamer.video.LiveFrameResampler;
import io.cmstream.streamer.video.TestPatternVideo;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * A live stream's clip goes out as soon as its last frame is decoded: before any frame of the next
 * second is read, and not held back to learn whether it is the last one. The "camera" is a loop
 * that feeds one frame at a time; after each frame the test looks at what was sent.
 */
class ClipPromptnessTest {

  /**
   * The demo model's geometry: T = 4, stride 2 at 8 fps (a clip spans 1 s centred on its keyframe).
   */
  private static final ClipSpec SPEC = ClipSpec.of(4, 2, 8, 32);

  /**
   * Feeds {@code seconds} of a camera at {@code sourceFps}; returns, per clip sent, the source
   * frames read by then.
   */
  private static List<int[]> feed(double sourceFps, int seconds, List<Clip> sent) {
    ClipTiming timing = new ClipTiming(SPEC);
    int[] read = {0};
    List<int[]> sentAfter = new ArrayList<>();
    EndOfStreamMarker marker =
        new EndOfStreamMarker(
            clip -> {
              sent.add(clip);
              sentAfter.add(new int[] {clip.second(), read[0]});
            });
    try (JpegEncoder jpeg = new JpegEncoder(0, 80);
        ClipAssembler assembler =
            new ClipAssembler(timing, jpeg, new NoPersons(), 0, Integer.MAX_VALUE, marker);
        LiveFrameResampler resampler = new LiveFrameResampler(SPEC.fps(), assembler);
        Mat frame = new Mat(32, 32, opencv_core.CV_8UC3)) {
      int frames = (int) Math.round(seconds * sourceFps);
      for (int i = 0; i < frames; i++) {
        TestPatternVideo.draw(frame, i);
        read[0] = i + 1;
        long micros = Math.round(i * 1e6 / sourceFps);
        resampler.accept(micros, 1_000_000L + micros / 1000, frame);
      }
      resampler.finish(Math.round(frames * 1e6 / sourceFps));
      marker.finish();
    }
    return sentAfter;
  }

  @Test
  void shouldSendEachClipWhenItsLastFrameIsDecoded() {
    List<Clip> sent = new ArrayList<>();
    List<int[]> after = feed(8, 6, sent);
    // second t's frames are 8t-4, 8t-2, 8t, 8t+2: its clip is out once source frame 8t+2 is read
    for (int t = 0; t < 6; t++) {
      int[] s = after.get(t);
      assertEquals(t, s[0]);
      int lastFrame = 8 * t + 2;
      assertEquals(lastFrame + 1, s[1], "clip " + t + " sent right after its last frame was read");
      assertTrue(
          s[1] <= 8 * (t + 1),
          "clip " + t + " sent before any frame of second " + (t + 1) + " was read");
      Clip clip = sent.get(t);
      assertFalse(clip.endOfStream());
      assertEquals(
          1_000_000L + lastFrame * 125L,
          clip.lastFrameCaptureTimeMs(),
          "capture time of its last frame");
      assertEquals(1_000_000L + 8 * t * 125L, clip.captureTimeMs(), "capture time of its keyframe");
      assertEquals(0, clip.sentFromSecond());
    }
    assertEquals(7, sent.size(), "six clips, then the end of stream");
    Clip end = sent.get(6);
    assertTrue(end.endOfStream(), "the end of stream repeats the last clip, flagged");
    assertEquals(5, end.second());
    assertEquals(sent.get(5).frames().size(), end.frames().size());
  }

  @Test
  void shouldSendEachClipBeforeTheNextSecondWhenTheCameraRateDiffers() {
    // 10 fps camera, 8 fps model: frame 8t+2 (t + 0.25 s) shows the camera's frame at t + 0.2 s,
    // known to be on screen when the frame at t + 0.3 s arrives
    List<Clip> sent = new ArrayList<>();
    List<int[]> after = feed(10, 5, sent);
    for (int t = 0; t < 5; t++) {
      int[] s = after.get(t);
      assertEquals(t, s[0]);
      assertEquals(
          10 * t + 4, s[1], "clip " + t + " sent when the camera's frame at t + 0.3 s was read");
    }
  }
}
