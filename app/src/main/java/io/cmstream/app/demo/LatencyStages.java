package io.cmstream.app.demo;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.cmstream.schemas.avro.ClipTimes;
import io.cmstream.schemas.avro.Timing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the end-to-end latency of a detection went, along its critical path: from the capture of
 * its keyframe to the capture of the last frame of the clip that completed its memory window (clip
 * geometry plus lookahead: the floor), then that clip's way through the streamer, Kafka and the
 * detector's encoder, the memory and context head, and the commit until a read_committed consumer
 * read it. The stages add up to the end-to-end latency.
 */
public final class LatencyStages {
  /** The stages in path order, as named in {@code run.json} and the report. */
  public static final List<String> NAMES =
      List.of(
          "capture_to_window_last_frame",
          "streamer",
          "kafka_to_detector",
          "validate_encode",
          "memory_head",
          "commit_read");

  private LatencyStages() {}

  /**
   * The stage durations of one detection read at {@code readMs}, in the order of {@link #NAMES}, or
   * null when its timing lacks a step (files not paced like a camera, timeout emissions).
   */
  public static long[] of(Timing timing, long readMs) {
    ClipTimes w = timing.getWindow();
    Long capture = timing.getCaptureTimeMs();
    if (w == null
        || capture == null
        || w.getLastFrameCaptureTimeMs() == null
        || w.getReceivedTimeMs() < 0) {
      return null;
    }
    long lastFrame = w.getLastFrameCaptureTimeMs();
    return new long[] {
      lastFrame - capture,
      w.getPublishTimeMs() - lastFrame,
      w.getReceivedTimeMs() - w.getPublishTimeMs(),
      w.getEncodedTimeMs() - w.getReceivedTimeMs(),
      timing.getEmitTimeMs() - w.getEncodedTimeMs(),
      readMs - timing.getEmitTimeMs()
    };
  }

  /**
   * {@code run.json}'s breakdown: how many detections carry every step, then per stage (by its name
   * in {@link #NAMES}) p50 and p95 in ms over them.
   */
  public record Figures(int detections, @JsonIgnore Map<String, Percentiles> stages) {
    @JsonAnyGetter
    public Map<String, Percentiles> byStage() {
      return stages;
    }
  }

  /** p50 and p95 (nearest rank) of one stage, null without detections. */
  public record Percentiles(Long p50, Long p95) {}

  /** The breakdown of the detections that carry every step. */
  public static Figures figures(Collection<DetectionCollector.Received> received) {
    List<List<Long>> perStage = new ArrayList<>();
    NAMES.forEach(n -> perStage.add(new ArrayList<>()));
    int n = 0;
    for (DetectionCollector.Received r : received) {
      long[] stages = of(r.record().getTiming(), r.receivedMs());
      if (stages == null) {
        continue;
      }
      n++;
      for (int i = 0; i < stages.length; i++) {
        perStage.get(i).add(stages[i]);
      }
    }
    Map<String, Percentiles> byStage = new LinkedHashMap<>();
    for (int i = 0; i < NAMES.size(); i++) {
      byStage.put(
          NAMES.get(i),
          new Percentiles(percentile(perStage.get(i), 0.50), percentile(perStage.get(i), 0.95)));
    }
    return new Figures(n, byStage);
  }

  /** The stages of one detection by name (ms), or null when its timing lacks a step. */
  public static Map<String, Long> named(DetectionCollector.Received r) {
    long[] stages = of(r.record().getTiming(), r.receivedMs());
    if (stages == null) {
      return null;
    }
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < NAMES.size(); i++) {
      m.put(NAMES.get(i), stages[i]);
    }
    return m;
  }

  /** The q-quantile (nearest rank) of the values, or null when there are none. */
  public static Long percentile(Collection<Long> values, double q) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
  }
}
