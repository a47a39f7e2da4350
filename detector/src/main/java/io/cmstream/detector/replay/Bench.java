package io.cmstream.detector.replay;

import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.ClipInference;
import io.cmstream.detector.topology.DetectorTopology;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.runtime.MemoryWindow;
import io.cmstream.schemas.avro.ClipRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Measurements of the topology: its overhead over the raw model loop, and state per stream. */
public final class Bench {

  private Bench() {}

  /** Throughput of both paths over the same clips. */
  public record Throughput(
      long clips,
      double rawClipsPerSecond,
      double replayInMemoryClipsPerSecond,
      double replayRocksDbClipsPerSecond) {}

  /**
   * The raw loop (what an offline two-scan inference does): decode + encode every clip, then per
   * second sum its window's contributions and run the head. No Kafka, no stores.
   */
  public static double rawLoop(DetectorConfig config, List<ClipRecord> clips) {
    long start = System.nanoTime();
    try (ClipInference inference = config.model().inference().open()) {
      rawLoop(config, clips, inference);
    }
    return clips.size() / ((System.nanoTime() - start) / 1e9);
  }

  /** The raw loop on sessions already open (their opening not timed): clips per second. */
  public static double rawLoop(
      DetectorConfig config, List<ClipRecord> clips, ClipInference inference) {
    ClipPipeline pipeline = new ClipPipeline(config.model().clipSpec());
    long start = System.nanoTime();
    Map<String, TreeMap<Integer, EncoderOutput>> byStream = new LinkedHashMap<>();
    for (ClipRecord c : clips) {
      ClipTensor tensor = pipeline.evalClip(jpegs(c));
      EncoderOutput out = inference.encode(tensor, boxes(c));
      byStream
          .computeIfAbsent(c.getStreamId().toString(), k -> new TreeMap<>())
          .put(c.getSecond(), out);
    }
    for (TreeMap<Integer, EncoderOutput> seconds : byStream.values()) {
      for (Map.Entry<Integer, EncoderOutput> e : seconds.entrySet()) {
        int t = e.getKey();
        MemoryWindow w = new MemoryWindow(e.getValue().memoryChannels());
        WindowSpan span = config.window().span();
        seconds.subMap(span.first(t), true, span.last(t), true).values().forEach(w::add);
        if (e.getValue().boxes() > 0) {
          inference.scores(
              e.getValue().roiFeats(), e.getValue().boxes(), e.getValue().key(), w.memory());
        }
      }
    }
    return clips.size() / ((System.nanoTime() - start) / 1e9);
  }

  /** The same clips through the topology in TopologyTestDriver. */
  public static double replay(
      DetectorConfig config, List<ClipRecord> clips, DetectorTopology.Stores stores) {
    long start = System.nanoTime();
    long emitted = 0;
    try (ReplayDriver driver =
        new ReplayDriver(config, new DetectorMetrics(new SimpleMeterRegistry()), stores)) {
      for (ClipRecord c : clips) {
        driver.pipe(c, Replay.timestamp(c));
        emitted += driver.detections().size();
      }
      driver.endOfInput();
      emitted += driver.detections().size();
    }
    if (emitted != clips.size()) {
      throw new IllegalStateException(
          "replay emitted " + emitted + " detections for " + clips.size() + " clips");
    }
    return clips.size() / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Raw loop and replay (in memory, then RocksDB), interleaved for {@code rounds} rounds after one
   * warm-up pass; the median of each (a shared machine's load moves single passes a lot).
   */
  public static Throughput throughput(DetectorConfig config, List<ClipRecord> clips, int rounds) {
    rawLoop(config, clips);
    replay(config, clips, DetectorTopology.Stores.IN_MEMORY);
    double[] raw = new double[rounds];
    double[] inMemory = new double[rounds];
    double[] rocksDb = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      raw[r] = rawLoop(config, clips);
      inMemory[r] = replay(config, clips, DetectorTopology.Stores.IN_MEMORY);
      rocksDb[r] = replay(config, clips, DetectorTopology.Stores.PERSISTENT);
    }
    return new Throughput(clips.size(), median(raw), median(inMemory), median(rocksDb));
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /**
   * Bytes of state one stream holds after each checkpoint (seconds of video fed), for a stream that
   * has not ended.
   */
  public static Map<Integer, Long> stateBytes(
      DetectorConfig config, SyntheticClips source, List<Integer> checkpoints) {
    Map<Integer, Long> out = new LinkedHashMap<>();
    int last = checkpoints.stream().mapToInt(Integer::intValue).max().orElse(0);
    try (ReplayDriver driver =
        new ReplayDriver(config, new DetectorMetrics(new SimpleMeterRegistry()))) {
      for (int s = 0; s < last; s++) {
        driver.pipe(source.clip("bench-stream", s, false), s * 1000L);
        driver.detections();
        if (checkpoints.contains(s + 1)) {
          out.put(s + 1, driver.stateBytes("bench-stream"));
        }
      }
    }
    return out;
  }

  static List<byte[]> jpegs(ClipRecord c) {
    List<byte[]> out = new ArrayList<>(c.getFrames().size());
    for (ByteBuffer b : c.getFrames()) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      out.add(bytes);
    }
    return out;
  }

  static float[] boxes(ClipRecord c) {
    float[] out = new float[c.getBoxes().size() * 4];
    for (int i = 0; i < c.getBoxes().size(); i++) {
      var b = c.getBoxes().get(i);
      out[4 * i] = b.getX1();
      out[4 * i + 1] = b.getY1();
      out[4 * i + 2] = b.getX2();
      out[4 * i + 3] = b.getY2();
    }
    return out;
  }
}
