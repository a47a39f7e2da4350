package io.cmstream.streamer.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class LiveFrameResamplerTest {

  private record Out(int index, long sourceMicros, int code) {}

  private static List<Out> resample(double fps, long[] times, long end) {
    List<Out> out = new ArrayList<>();
    int[] count = {-1};
    try (LiveFrameResampler r =
        new LiveFrameResampler(
            fps,
            new ResampledFrameSink() {
              @Override
              public void accept(int index, long sourceMicros, long captureMs, Mat frame) {
                out.add(new Out(index, sourceMicros, TestPatternVideo.read(frame)));
              }

              @Override
              public void finish(int frameCount) {
                count[0] = frameCount;
              }
            })) {
      Mat m = new Mat(64, 64, opencv_core.CV_8UC3);
      for (int i = 0; i < times.length; i++) {
        TestPatternVideo.draw(m, i);
        r.accept(times[i], m);
      }
      r.finish(end);
    }
    assertEquals(out.size(), count[0]);
    return out;
  }

  @Test
  void shouldRepeatFramesWhenUpsampling() {
    // 10 fps source to 30 fps: each source frame is shown for three output frames
    List<Out> out = resample(30, TestPatternVideo.constantTimes(10, 10), 1_000_000);
    assertEquals(30, out.size());
    for (Out o : out) {
      assertEquals(o.index() / 3, o.code());
    }
  }

  @Test
  void shouldTakeTheFrameOnScreenWhenDownsampling() {
    // 25 fps source to 10 fps: output k at k/10 s shows source frame floor(k * 2.5)
    List<Out> out = resample(10, TestPatternVideo.constantTimes(25, 25), 1_000_000);
    assertEquals(10, out.size());
    for (Out o : out) {
      assertEquals((int) Math.floor(o.index() * 2.5), o.code());
      assertEquals(o.code() * 40_000L, o.sourceMicros());
    }
  }

  @Test
  void shouldFollowTimestampsOfVariableFrameRate() {
    long[] times = {0, 100_000, 150_000, 400_000, 410_000, 900_000};
    List<Out> out = resample(10, times, 1_000_000);
    // outputs at 0.0 .. 0.9 s show the last frame shown at or before them
    int[] expected = {0, 1, 2, 2, 3, 4, 4, 4, 4, 5};
    assertEquals(10, out.size());
    for (Out o : out) {
      assertEquals(expected[o.index()], o.code(), "output " + o.index());
    }
  }

  @Test
  void shouldTolerateSubMillisecondJitter() {
    // 29.97 fps to 30: frame 30 (at 1.001 s) is within the 1 ms tolerance of output 30 (1.000 s),
    // frame 60 (at 2.002 s) is not for output 60 (2.000 s), which repeats frame 59
    List<Out> out = resample(30, TestPatternVideo.constantTimes(90, 30000.0 / 1001), 3_003_000);
    assertEquals(91, out.size());
    assertEquals(0, out.get(0).code());
    assertEquals(30, out.get(30).code());
    assertEquals(59, out.get(60).code());
    assertEquals(60, out.get(61).code());
    assertEquals(89, out.get(90).code());
  }
}
