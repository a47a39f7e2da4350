package io.cmstream.detector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.DetectorModel;
import io.cmstream.detector.model.TinyDetectorModel;
import io.cmstream.detector.replay.ReplayDriver;
import io.cmstream.detector.state.WindowPolicy;
import io.cmstream.schemas.avro.ClipTimes;
import io.cmstream.schemas.avro.DetectionRecord;
import io.cmstream.schemas.avro.Timing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The timing of each detection: every step of its own clip and of the clip that completed its
 * window.
 */
class DetectionTimingTest {

  private static final String STREAM = "cam-t";
  private static DetectorModel model;

  @BeforeAll
  static void openModel() {
    model = TinyDetectorModel.of(3);
  }

  private static ReplayDriver driver(int ahead, Duration timeout) {
    DetectorConfig config =
        DetectorConfig.defaults(model)
            .withWindow(new WindowPolicy(2, ahead, 0))
            .withTimeout(timeout);
    return new ReplayDriver(config, new DetectorMetrics(new SimpleMeterRegistry()));
  }

  /**
   * Pipes second s as a camera would have sent it: keyframe captured, last frame 250 ms later,
   * published.
   */
  private static long pipe(ReplayDriver d, int second) {
    long now = System.currentTimeMillis();
    long keyframe = now - 400;
    d.pipe(
        Clips.builder(STREAM, second)
            .setCaptureTimeMs(keyframe)
            .setLastFrameCaptureTimeMs(keyframe + 250)
            .build(),
        now - 100);
    return keyframe;
  }

  @Test
  void shouldFillEveryStepInOrderForOwnAndWindowClip() {
    int ahead = 2;
    List<DetectionRecord> out = new ArrayList<>();
    long started = System.currentTimeMillis();
    try (ReplayDriver d = driver(ahead, Duration.ofSeconds(30))) {
      for (int s = 10; s <= 14; s++) {
        pipe(d, s);
        out.addAll(d.detections());
      }
    }
    long ended = System.currentTimeMillis();
    assertEquals(List.of(10, 11, 12), out.stream().map(DetectionRecord::getSecond).toList());
    for (DetectionRecord det : out) {
      Timing t = det.getTiming();
      ClipTimes own = t.getClip();
      ClipTimes window = t.getWindow();
      assertNotNull(own, "own clip times of " + det.getSecond());
      assertNotNull(window, "window clip times of " + det.getSecond());
      assertEquals(det.getSecond(), own.getSecond());
      assertEquals(
          det.getSecond() + ahead, window.getSecond(), "the clip t + ahead completes the window");
      for (ClipTimes c : List.of(own, window)) {
        assertNotNull(c.getLastFrameCaptureTimeMs());
        assertTrue(
            c.getLastFrameCaptureTimeMs() <= c.getPublishTimeMs(),
            "captured before published: " + c);
        assertTrue(
            c.getPublishTimeMs() <= c.getReceivedTimeMs(), "published before received: " + c);
        assertTrue(c.getReceivedTimeMs() <= c.getEncodedTimeMs(), "received before encoded: " + c);
        assertTrue(c.getEncodedTimeMs() <= t.getEmitTimeMs(), "encoded before emitted: " + c);
        assertTrue(
            c.getReceivedTimeMs() >= started && t.getEmitTimeMs() <= ended,
            "wall-clock times of this run");
      }
      assertTrue(
          t.getCaptureTimeMs() < own.getLastFrameCaptureTimeMs(),
          "keyframe before the clip's last frame");
      assertTrue(
          own.getEncodedTimeMs() <= window.getReceivedTimeMs(),
          "own clip done before the window's last came");
    }
  }

  @Test
  void shouldHaveNoWindowClipWhenTheTimeoutEmits() {
    try (ReplayDriver d = driver(2, Duration.ofSeconds(5))) {
      pipe(d, 10);
      d.advanceWallClock(Duration.ofSeconds(6));
      List<DetectionRecord> out = d.detections();
      assertEquals(1, out.size());
      assertNull(out.get(0).getTiming().getWindow(), "no clip completed the window");
      assertNotNull(out.get(0).getTiming().getClip());
    }
  }
}
