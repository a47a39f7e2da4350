package io.cmstream.detector.topology;

import static io.cmstream.detector.topology.DetectorTopologyTest.assertSameDetections;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.EncodeBatch;
import io.cmstream.detector.model.ClipInference;
import io.cmstream.detector.model.DetectorModel;
import io.cmstream.detector.model.TinyDetectorModel;
import io.cmstream.detector.replay.ReplayDriver;
import io.cmstream.detector.state.WindowPolicy;
import io.cmstream.runtime.EncoderInput;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.runtime.TinyCmModel;
import io.cmstream.schemas.DeadLetter;
import io.cmstream.schemas.DlqReason;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batching across the streams of a task: same detections as clip-by-clip encoding (one encoder call
 * per frame size); size and wait limits; a failed call does not lose its other clips.
 */
class BatchEncodeTest {

  private static final JpegCodec JPEG = new JpegCodec(0.9f);
  private static DetectorModel model;

  @BeforeAll
  static void openModel() {
    model = TinyDetectorModel.of(7);
  }

  private static DetectorConfig config(EncodeBatch batch) {
    return config(model, batch);
  }

  private static DetectorConfig config(DetectorModel model, EncodeBatch batch) {
    return DetectorConfig.defaults(model)
        .withWindow(new WindowPolicy(2, 1, 0))
        .withTimeout(Duration.ofSeconds(30))
        .withBatch(batch);
  }

  private static ReplayDriver driver(DetectorConfig config) {
    return new ReplayDriver(config, new DetectorMetrics(new SimpleMeterRegistry()));
  }

  /**
   * Three streams interleaved, with 0, 1, 2 and 3 person boxes and two frame sizes: a batch holds
   * clips of both sizes (one encoder call per size) and clips without boxes.
   */
  private static List<ClipRecord> mixedClips() {
    List<ClipRecord> clips = new ArrayList<>();
    String[] streams = {"cam-a", "cam-b", "cam-c"};
    for (int second = 0; second < 8; second++) {
      for (int s = 0; s < streams.length; s++) {
        int width = s == 1 ? 48 : Clips.SIZE;
        int height = s == 1 ? 40 : Clips.SIZE;
        ClipRecord.Builder b =
            Clips.builder(streams[s], second)
                .setEndOfStream(second == 7 && s != 2)
                .setWidth(width)
                .setHeight(height)
                .setFrames(frames(streams[s], second, width, height));
        List<io.cmstream.schemas.avro.PersonBox> boxes = new ArrayList<>();
        for (int i = 0; i < (second + s) % 4; i++) {
          boxes.add(Clips.box(0.1f * i, 0.05f, 0.1f * i + 0.5f, 0.9f));
        }
        clips.add(b.setBoxes(boxes).build());
      }
    }
    return clips;
  }

  private static List<ByteBuffer> frames(String stream, int second, int width, int height) {
    List<ByteBuffer> frames = new ArrayList<>();
    for (int f = 0; f < TinyCmModel.CLIP_SPEC.frames(); f++) {
      frames.add(
          ByteBuffer.wrap(JPEG.encode(Clips.frame(stream.hashCode(), second, f, width, height))));
    }
    return frames;
  }

  private static List<DetectionRecord> run(EncodeBatch batch, List<ClipRecord> clips) {
    List<DeadLetter> deadLetters = new ArrayList<>();
    List<DetectionRecord> out = run(model, batch, clips, deadLetters);
    assertEquals(List.of(), deadLetters, "no dead letters");
    return out;
  }

  private static List<DetectionRecord> run(
      DetectorModel model, EncodeBatch batch, List<ClipRecord> clips, List<DeadLetter> dlq) {
    List<DetectionRecord> out = new ArrayList<>();
    try (ReplayDriver d = driver(config(model, batch))) {
      for (int i = 0; i < clips.size(); i++) {
        d.pipe(clips.get(i), 1000L * i);
        out.addAll(d.detections());
      }
      d.endOfInput();
      out.addAll(d.detections());
      d.deadLetters().forEach(r -> dlq.add(DeadLetter.fromHeaders(r.headers())));
    }
    return out;
  }

  @Test
  void batchedEncodingShouldGiveTheSameDetectionsAsClipByClip() {
    List<ClipRecord> clips = mixedClips();
    List<DetectionRecord> single = run(EncodeBatch.OFF, clips);
    assertEquals(clips.size(), single.size(), "one detection per (stream, second)");
    for (int size : new int[] {2, 4, 7, 100}) {
      List<DetectionRecord> batched = run(new EncodeBatch(size, Duration.ofMillis(40)), clips);
      for (String stream : List.of("cam-a", "cam-b", "cam-c")) {
        assertSameDetections(byStream(single, stream), byStream(batched, stream));
      }
    }
  }

  /**
   * A batch call that fails (here: the encoder refuses every call holding a clip with exactly 3
   * boxes; no real clip of the tiny model fails by its content, hence the wrapper around its real
   * sessions) is encoded again clip by clip: only the refused clips go to the dead-letter topic,
   * with the reason of the unbatched step, and the others are detected as without batching.
   */
  @Test
  void failedBatchCallShouldDeadLetterOnlyTheRefusedClip() {
    DetectorModel refusing =
        new DetectorModel(
            model.modelId(),
            model.clipSpec(),
            model.memoryDim(),
            model.classes(),
            model.trainingBack(),
            model.trainingAhead(),
            () -> new RefusingThreeBoxes(model.inference().open()));
    List<ClipRecord> clips = mixedClips();
    List<DeadLetter> singleDlq = new ArrayList<>();
    List<DetectionRecord> single = run(refusing, EncodeBatch.OFF, clips, singleDlq);
    long refused = clips.stream().filter(c -> c.getBoxes().size() == 3).count();
    assertTrue(refused > 0, "the clips include some with 3 boxes");
    assertEquals(refused, singleDlq.size());
    for (DeadLetter letter : singleDlq) {
      assertEquals(DlqReason.PROCESSING_FAILED, letter.reason());
      assertEquals("encoder: " + RefusingThreeBoxes.WHY, letter.detail());
    }
    for (int size : new int[] {4, 100}) {
      List<DeadLetter> batchedDlq = new ArrayList<>();
      List<DetectionRecord> batched =
          run(refusing, new EncodeBatch(size, Duration.ofMillis(40)), clips, batchedDlq);
      assertEquals(
          singleDlq.stream().map(l -> l.reason() + " " + l.offset() + " " + l.detail()).toList(),
          batchedDlq.stream().map(l -> l.reason() + " " + l.offset() + " " + l.detail()).toList(),
          "the same clips dead-lettered, with the same reason, batch " + size);
      for (String stream : List.of("cam-a", "cam-b", "cam-c")) {
        assertSameDetections(byStream(single, stream), byStream(batched, stream));
      }
    }
  }

  @Test
  void callsShouldGroupClipsByFrameSizeInArrivalOrderUpToTheBatchSize() {
    ClipTensor a = new ClipTensor(new float[3 * 4 * 2 * 3], 4, 2, 3);
    ClipTensor b = new ClipTensor(new float[3 * 4 * 3 * 2], 4, 3, 2);
    List<ClipTensor> clips = List.of(a, b, a, a, b, a);
    assertEquals(
        List.of(List.of(0, 2, 3, 5), List.of(1, 4)), EncodeProcessor.calls(clips, 4), "size 4");
    assertEquals(
        List.of(List.of(0, 2), List.of(3, 5), List.of(1, 4)),
        EncodeProcessor.calls(clips, 2),
        "size 2");
    assertEquals(6, EncodeProcessor.calls(clips, 1).size(), "one clip per call");
  }

  /** The real sessions of a model, whose encoder refuses any call holding a clip of 3 boxes. */
  private static final class RefusingThreeBoxes implements ClipInference {
    static final String WHY = "refused: a clip with 3 boxes";
    private final ClipInference real;

    RefusingThreeBoxes(ClipInference real) {
      this.real = real;
    }

    @Override
    public EncoderOutput encode(ClipTensor clip, float[] boxes) {
      return encodeBatch(List.of(ClipInference.input(clip, boxes))).get(0);
    }

    @Override
    public List<EncoderOutput> encodeBatch(List<EncoderInput> clips) {
      if (clips.stream().anyMatch(c -> c.boxCount() == 3)) {
        throw new IllegalStateException(WHY);
      }
      return real.encodeBatch(clips);
    }

    @Override
    public float[][] scores(float[] roiFeats, int rows, float[] key, float[] memory) {
      return real.scores(roiFeats, rows, key, memory);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void batchShouldBeEncodedWhenFull() {
    try (ReplayDriver d = driver(config(new EncodeBatch(3, Duration.ofSeconds(5))))) {
      d.pipe(Clips.clip("cam-a", 0), 0);
      d.pipe(Clips.clip("cam-b", 0), 1);
      assertEquals(
          2, d.storeEntries(DetectorTopology.ENCODE_QUEUE), "two clips wait for the third");
      assertEquals(0, d.storeEntries(DetectorTopology.PENDING), "nothing encoded yet");
      d.pipe(Clips.clip("cam-c", 0), 2);
      assertEquals(0, d.storeEntries(DetectorTopology.ENCODE_QUEUE), "full batch encoded");
      assertEquals(
          3, d.storeEntries(DetectorTopology.PENDING), "three encoded clips wait for their window");
    }
  }

  @Test
  void partlyFilledBatchShouldBeEncodedAfterTheWait() {
    try (ReplayDriver d = driver(config(new EncodeBatch(8, Duration.ofMillis(200))))) {
      d.pipe(Clips.clip("cam-a", 0), 0);
      d.advanceWallClock(Duration.ofMillis(100));
      d.pipe(Clips.clip("cam-b", 0), 1);
      d.advanceWallClock(Duration.ofMillis(60));
      assertEquals(
          2, d.storeEntries(DetectorTopology.ENCODE_QUEUE), "the oldest has waited 160 ms of 200");
      d.advanceWallClock(Duration.ofMillis(60));
      assertEquals(
          0,
          d.storeEntries(DetectorTopology.ENCODE_QUEUE),
          "the oldest waited 220 ms: all encoded");
      assertEquals(2, d.storeEntries(DetectorTopology.PENDING));
    }
  }

  private static List<DetectionRecord> byStream(List<DetectionRecord> all, String stream) {
    return all.stream().filter(r -> r.getStreamId().toString().equals(stream)).toList();
  }
}
