package io.cmstream.detector.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import io.cmstream.schemas.avro.PersonDetection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The broker tests' reference: the same clips replayed through the topology ({@link ReplayDriver}),
 * and the checks that what the service committed is that, each (stream, second) once.
 */
public final class ReplayComparison {
  private ReplayComparison() {}

  /** The detections of replaying the clips in order, by {@link #id}. */
  public static Map<String, DetectionRecord> replay(DetectorConfig config, List<ClipRecord> clips) {
    Map<String, DetectionRecord> out = new TreeMap<>();
    try (ReplayDriver d =
        new ReplayDriver(config, new DetectorMetrics(new SimpleMeterRegistry()))) {
      for (ClipRecord c : clips) {
        d.pipe(c, 0);
      }
      d.detections().forEach(r -> out.put(id(r), r));
    }
    return out;
  }

  /** Every (stream, second) in {@code got} at most once. */
  public static void assertEachOnce(List<DetectionRecord> got) {
    Map<String, Integer> counts = new HashMap<>();
    got.forEach(d -> counts.merge(id(d), 1, Integer::sum));
    counts.forEach((k, n) -> assertEquals(1, n, k + " emitted " + n + " times"));
  }

  /** The same (stream, second)s as expected, each with its memory seconds and scores (1e-6). */
  public static void assertSameAs(
      Map<String, DetectionRecord> expected, List<DetectionRecord> got) {
    Map<String, DetectionRecord> actual = new TreeMap<>();
    got.forEach(d -> actual.put(id(d), d));
    assertEquals(expected.keySet(), actual.keySet());
    for (String k : expected.keySet()) {
      DetectionRecord e = expected.get(k);
      DetectionRecord a = actual.get(k);
      assertEquals(e.getMemorySeconds(), a.getMemorySeconds(), k);
      assertArrayEquals(scores(e), scores(a), 1e-6f, k);
    }
  }

  /** {@code stream@second}. */
  public static String id(DetectionRecord d) {
    return d.getStreamId() + "@" + d.getSecond();
  }

  /** Every action score of every person, in order. */
  public static float[] scores(DetectionRecord d) {
    List<Float> all = new ArrayList<>();
    for (PersonDetection p : d.getPersons()) {
      p.getActions().forEach(a -> all.add(a.getScore()));
    }
    float[] out = new float[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }
}
