package io.cmstream.detector.topology;

import static io.cmstream.detector.topology.DetectorTopologyTest.assertSameDetections;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.EncodeBatch;
import io.cmstream.detector.model.DetectorModel;
import io.cmstream.detector.model.TinyDetectorModel;
import io.cmstream.detector.replay.ReplayDriver;
import io.cmstream.detector.state.WindowPolicy;
import io.cmstream.runtime.TinyCmModel;
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
 * Batching across the streams of a task: same detections as clip-by-clip encoding; size and wait
 * limits.
 */
class BatchEncodeTest {

  private static final JpegCodec JPEG = new JpegCodec(0.9f);
  private static DetectorModel model;

  @BeforeAll
  static void openModel() {
    model = TinyDetectorModel.of(7);
  }

  private static DetectorConfig config(EncodeBatch batch) {
    return DetectorConfig.defaults(model)
        .withWindow(new WindowPolicy(2, 1, 0))
        .withTimeout(Duration.ofSeconds(30))
        .withBatch(batch);
  }

  private static ReplayDriver driver(DetectorConfig config) {
    return new ReplayDriver(config, new DetectorMetrics(new SimpleMeterRegistry()));
  }

  /**
   * Three streams interleaved, with 0, 1, 2 and 3 person boxes and two frame sizes: the clips of a
   * batch differ in shape (each runs the batch-1 encoder graph in its own call).
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
    List<DetectionRecord> out = new ArrayList<>();
    try (ReplayDriver d = driver(config(batch))) {
      for (int i = 0; i < clips.size(); i++) {
        d.pipe(clips.get(i), 1000L * i);
        out.addAll(d.detections());
      }
      d.endOfInput();
      out.addAll(d.detections());
      assertEquals(0, d.deadLetters().size(), "no dead letters");
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
