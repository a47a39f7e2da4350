package io.cmstream.detector.topology;

import static io.cmstream.detector.replay.ReplayComparison.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.ClipInference;
import io.cmstream.detector.model.DetectorModel;
import io.cmstream.detector.model.TinyDetectorModel;
import io.cmstream.detector.replay.ReplayDriver;
import io.cmstream.detector.state.WindowPolicy;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.runtime.TinyCmModel;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The topology on RocksDB stores, as the service runs it. */
class DetectorTopologyTest {

  private static final String STREAM = "video-a";
  private static DetectorModel model;
  private static ClipInference reference;

  @BeforeAll
  static void openModel() {
    model = TinyDetectorModel.of(7);
    reference = model.inference().open();
  }

  @AfterAll
  static void closeModel() {
    reference.close();
  }

  private static DetectorConfig config(int back, int ahead, int grace) {
    return DetectorConfig.defaults(model)
        .withWindow(new WindowPolicy(back, ahead, grace))
        .withTimeout(Duration.ofSeconds(30));
  }

  /** The kind of stores under test: this suite is the contract every kind must pass. */
  protected DetectorTopology.Stores stores() {
    return DetectorTopology.Stores.PERSISTENT;
  }

  private ReplayDriver driver(DetectorConfig config) {
    return new ReplayDriver(config, new DetectorMetrics(new SimpleMeterRegistry()), stores());
  }

  @Test
  void shouldUseMeanOfWindowContributionsAsMemoryAtStartGapsAndEnd() {
    // seconds 10, 11, 12, 14, 15 (13 missing), back 2, ahead 1, end of stream at 15
    int[] seconds = {10, 11, 12, 14, 15};
    List<DetectionRecord> out = new ArrayList<>();
    try (ReplayDriver d = driver(config(2, 1, 0))) {
      for (int s : seconds) {
        d.pipe(Clips.builder(STREAM, s).setEndOfStream(s == 15).build(), 1000L * s);
        out.addAll(d.detections());
      }
    }
    assertEquals(
        List.of(10, 11, 12, 14, 15), out.stream().map(DetectionRecord::getSecond).toList());
    Map<Integer, EncoderOutput> encoded = new HashMap<>();
    for (int s : seconds) {
      encoded.put(s, encode(Clips.clip(STREAM, s)));
    }
    Map<Integer, List<Integer>> expectedWindows =
        Map.of(
            10,
            List.of(10, 11),
            11,
            List.of(10, 11, 12),
            12,
            List.of(10, 11, 12),
            14,
            List.of(12, 14, 15),
            15,
            List.of(14, 15));
    for (DetectionRecord det : out) {
      List<Integer> window = expectedWindows.get(det.getSecond());
      assertEquals(window, det.getMemorySeconds(), "memory seconds of " + det.getSecond());
      float[] expected = expectedScores(encoded, det.getSecond(), window);
      assertArrayEquals(expected, scores(det), 1e-6f, "scores of second " + det.getSecond());
    }
  }

  @Test
  void memoryShouldChangeScoresComparedToTheClipAlone() {
    // guards against a head that ignores the memory: then the window test above proves nothing
    Map<Integer, EncoderOutput> encoded = new HashMap<>();
    for (int s : new int[] {10, 11, 12}) {
      encoded.put(s, encode(Clips.clip(STREAM, s)));
    }
    float[] alone = expectedScores(encoded, 11, List.of(11));
    float[] window = expectedScores(encoded, 11, List.of(10, 11, 12));
    float maxDiff = 0;
    for (int i = 0; i < alone.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(alone[i] - window[i]));
    }
    assertTrue(maxDiff > 1e-4, "memory changes scores by only " + maxDiff);
  }

  @Test
  void shouldEmitExactlyWhenWindowCompletes() {
    try (ReplayDriver d = driver(config(2, 2, 0))) {
      d.pipe(Clips.clip(STREAM, 10), 10_000);
      assertEquals(List.of(), seconds(d.detections()));
      d.pipe(Clips.clip(STREAM, 11), 11_000);
      assertEquals(List.of(), seconds(d.detections()), "10 needs 11 and 12");
      d.pipe(Clips.clip(STREAM, 12), 12_000);
      assertEquals(List.of(10), seconds(d.detections()));
      d.pipe(Clips.clip(STREAM, 13), 13_000);
      assertEquals(List.of(11), seconds(d.detections()));
      d.pipe(Clips.clip(STREAM, 15), 15_000); // 14 skipped: with grace 0 it can never come
      assertEquals(List.of(12, 13), seconds(d.detections()));
    }
  }

  @Test
  void shouldEmitAllPendingAtEndOfStream() {
    try (ReplayDriver d = driver(config(2, 2, 0))) {
      d.pipe(Clips.clip(STREAM, 10), 10_000);
      d.pipe(Clips.clip(STREAM, 11), 11_000);
      assertEquals(List.of(), seconds(d.detections()));
      d.pipe(Clips.builder(STREAM, 12).setEndOfStream(true).build(), 12_000);
      List<DetectionRecord> out = d.detections();
      assertEquals(List.of(10, 11, 12), seconds(out));
      assertEquals(List.of(10, 11, 12), out.get(2).getMemorySeconds());
      assertEquals(
          0,
          d.stateBytes(STREAM) - (STREAM.length() + 13),
          "an ended stream keeps only its progress");
    }
  }

  @Test
  void shouldEndTheStreamOnARepeatOfItsLastClipFlaggedEndOfStream() {
    // the streamer sends every clip at once and ends the stream by sending its last clip again
    try (ReplayDriver d = driver(config(2, 2, 0))) {
      d.pipe(Clips.clip(STREAM, 10), 10_000);
      d.pipe(Clips.clip(STREAM, 11), 11_000);
      d.pipe(Clips.clip(STREAM, 12), 12_000);
      assertEquals(List.of(10), seconds(d.detections()));
      d.pipe(Clips.builder(STREAM, 12).setEndOfStream(true).build(), 12_100);
      List<DetectionRecord> out = d.detections();
      assertEquals(List.of(11, 12), seconds(out));
      assertEquals(List.of(10, 11, 12), out.get(1).getMemorySeconds());
      assertEquals(List.of(), d.deadLetters());
      d.pipe(Clips.clip(STREAM, 13), 13_000);
      assertEquals(1, d.deadLetters().size(), "a clip after the end is late");
    }
  }

  @Test
  void shouldNotWaitForSecondsBeforeTheWritersFirstSecond() {
    // grace 2: without sentFromSecond, 10's window [8, 10] waits until 8 and 9 can no longer come
    try (ReplayDriver d = driver(config(2, 0, 2))) {
      d.pipe(Clips.clip(STREAM, 10), 10_000);
      assertEquals(List.of(), seconds(d.detections()), "8 and 9 may still arrive");
    }
    try (ReplayDriver d = driver(config(2, 0, 2))) {
      d.pipe(Clips.builder(STREAM, 10).setSentFromSecond(10).build(), 10_000);
      assertEquals(
          List.of(10), seconds(d.detections()), "the writer starts at 10: 8 and 9 never come");
      d.pipe(Clips.builder(STREAM, 11).setSentFromSecond(10).build(), 11_000);
      assertEquals(List.of(11), seconds(d.detections()));
      // a gap: the writer resumed at 14, so 12 and 13 never come
      d.pipe(Clips.builder(STREAM, 14).setSentFromSecond(14).build(), 14_000);
      List<DetectionRecord> out = d.detections();
      assertEquals(List.of(14), seconds(out));
      assertEquals(List.of(14), out.get(0).getMemorySeconds());
    }
  }

  @Test
  void shouldEmitOnWallClockTimeout() {
    try (ReplayDriver d = driver(config(2, 2, 0).withTimeout(Duration.ofSeconds(5)))) {
      d.pipe(Clips.clip(STREAM, 10), 10_000);
      d.pipe(Clips.clip(STREAM, 11), 11_000);
      d.advanceWallClock(Duration.ofSeconds(4));
      assertEquals(List.of(), seconds(d.detections()), "not yet timed out");
      d.advanceWallClock(Duration.ofSeconds(2));
      List<DetectionRecord> out = d.detections();
      assertEquals(List.of(10, 11), seconds(out));
      assertEquals(List.of(10, 11), out.get(0).getMemorySeconds());
      // the clip that completes them afterwards does not emit them again
      d.pipe(Clips.clip(STREAM, 12), 12_000);
      d.pipe(Clips.clip(STREAM, 13), 13_000);
      d.pipe(Clips.clip(STREAM, 14), 14_000);
      assertEquals(List.of(12), seconds(d.detections()));
    }
  }

  @Test
  void shouldGiveSameOutputForOutOfOrderClipsWithinGrace() {
    int[] inOrder = {10, 11, 12, 13, 14, 15, 16};
    int[] shuffled = {10, 12, 11, 14, 15, 13, 16};
    List<DetectionRecord> a = run(config(2, 1, 2), inOrder);
    List<DetectionRecord> b = run(config(2, 1, 2), shuffled);
    assertEquals(7, a.size());
    assertSameDetections(a, b);
  }

  @Test
  void shouldIgnoreDuplicateClip() {
    List<DetectionRecord> once = run(config(2, 1, 1), new int[] {10, 11, 12, 13, 14});
    DetectorMetrics metrics = new DetectorMetrics(new SimpleMeterRegistry());
    List<DetectionRecord> twice = new ArrayList<>();
    try (ReplayDriver d = new ReplayDriver(config(2, 1, 1), metrics, stores())) {
      int[] seconds = {10, 11, 11, 12, 13, 12, 13, 14};
      for (int i = 0; i < seconds.length; i++) {
        d.pipe(
            Clips.builder(STREAM, seconds[i]).setEndOfStream(i == seconds.length - 1).build(),
            1000L * i);
      }
      twice.addAll(d.detections());
      assertEquals(List.of(), d.deadLetters());
    }
    assertEquals(3, metrics.duplicateCount());
    assertEquals(5, twice.size(), "one record per second");
    assertSameDetections(once, twice);
  }

  private List<DetectionRecord> run(DetectorConfig config, int[] seconds) {
    try (ReplayDriver d = driver(config)) {
      for (int i = 0; i < seconds.length; i++) {
        d.pipe(
            Clips.builder(STREAM, seconds[i]).setEndOfStream(i == seconds.length - 1).build(),
            1000L * i);
      }
      return d.detections();
    }
  }

  static void assertSameDetections(List<DetectionRecord> expected, List<DetectionRecord> actual) {
    List<DetectionRecord> a = new ArrayList<>(expected);
    List<DetectionRecord> b = new ArrayList<>(actual);
    a.sort(Comparator.comparing(DetectionRecord::getSecond));
    b.sort(Comparator.comparing(DetectionRecord::getSecond));
    assertEquals(seconds(a), seconds(b));
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).getMemorySeconds(), b.get(i).getMemorySeconds());
      assertArrayEquals(scores(a.get(i)), scores(b.get(i)), 0f, "second " + a.get(i).getSecond());
    }
  }

  static List<Integer> seconds(List<DetectionRecord> records) {
    return records.stream().map(DetectionRecord::getSecond).toList();
  }

  private static EncoderOutput encode(ClipRecord record) {
    List<byte[]> jpegs = new ArrayList<>();
    for (ByteBuffer b : record.getFrames()) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      jpegs.add(bytes);
    }
    ClipTensor clip = new ClipPipeline(model.clipSpec()).evalClip(jpegs);
    return reference.encode(clip, ClipValidator.boxArray(record.getBoxes()));
  }

  /** memory = (sum of the window's contributions) / (sum of their weights), then the head. */
  private static float[] expectedScores(
      Map<Integer, EncoderOutput> encoded, int second, List<Integer> window) {
    int dim = TinyCmModel.MEMORY_DIM;
    double[] sum = new double[dim * dim];
    double weight = 0;
    for (int s : window) {
      EncoderOutput e = encoded.get(s);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += e.contribution()[i];
      }
      weight += e.weight();
    }
    float[] memory = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      memory[i] = (float) (sum[i] / weight);
    }
    assertNotEquals(0, weight);
    EncoderOutput e = encoded.get(second);
    float[][] scores = reference.scores(e.roiFeats(), e.boxes(), e.key(), memory);
    float[] flat = new float[scores.length * TinyCmModel.CLASSES];
    for (int r = 0; r < scores.length; r++) {
      System.arraycopy(scores[r], 0, flat, r * TinyCmModel.CLASSES, TinyCmModel.CLASSES);
    }
    return flat;
  }
}
