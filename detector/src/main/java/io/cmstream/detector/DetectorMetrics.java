package io.cmstream.detector;

import io.cmstream.schemas.DlqReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The detector's meters (Micrometer; exposed as Prometheus by the service). Thread-safe. */
public final class DetectorMetrics {

  private final Counter clipsIn;
  private final Counter detectionsOut;
  private final Counter duplicates;
  private final Map<DlqReason, Counter> deadLetters = new EnumMap<>(DlqReason.class);
  private final Timer encodeTime;
  private final Timer headTime;
  private final Timer endToEndLag;
  private final MeterRegistry registry;

  public DetectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    clipsIn =
        Counter.builder("cm.detector.clips.in").description("clip records read").register(registry);
    detectionsOut =
        Counter.builder("cm.detector.detections.out")
            .description("detection records emitted")
            .register(registry);
    duplicates =
        Counter.builder("cm.detector.clips.duplicate")
            .description("clips for an already stored (stream, second), ignored")
            .register(registry);
    for (DlqReason reason : DlqReason.values()) {
      deadLetters.put(
          reason,
          Counter.builder("cm.detector.dlq")
              .tag("reason", reason.name())
              .description("records sent to the dead-letter topic")
              .register(registry));
    }
    encodeTime =
        Timer.builder("cm.detector.inference.encoder")
            .description("encoder.onnx time per clip")
            .register(registry);
    headTime =
        Timer.builder("cm.detector.inference.head")
            .description("memory sum + context_head.onnx time per second")
            .register(registry);
    endToEndLag =
        Timer.builder("cm.detector.lag")
            .description("emit time minus capture time (or clip record time)")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void clipIn() {
    clipsIn.increment();
  }

  public void detectionOut(long lagMs) {
    detectionsOut.increment();
    endToEndLag.record(Math.max(0, lagMs), TimeUnit.MILLISECONDS);
  }

  public void duplicate() {
    duplicates.increment();
  }

  public void deadLetter(DlqReason reason) {
    deadLetters.get(reason).increment();
  }

  /**
   * One clip encoded in {@code millis}: a batched call's time divided by the clips of the call (a
   * call of one clip: its time).
   */
  public void encoded(double millis) {
    encodeTime.record((long) (millis * 1e6), TimeUnit.NANOSECONDS);
  }

  public void headRan(double millis) {
    headTime.record((long) (millis * 1e6), TimeUnit.NANOSECONDS);
  }

  public double duplicateCount() {
    return duplicates.count();
  }

  public double deadLetterCount(DlqReason reason) {
    return deadLetters.get(reason).count();
  }
}
