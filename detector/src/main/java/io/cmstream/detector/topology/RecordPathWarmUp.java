package io.cmstream.detector.topology;

import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.detector.model.ClipInference;
import io.cmstream.detector.model.InferencePool;
import io.cmstream.runtime.EncoderInput;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.schemas.AvroSerdes;
import io.cmstream.schemas.AvroSingleObjectSerde;
import io.cmstream.schemas.avro.ActionScore;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import io.cmstream.schemas.avro.PersonBox;
import io.cmstream.schemas.avro.PersonDetection;
import io.cmstream.schemas.avro.Timing;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the detector's per-record code once on each stream thread when its first task starts, on
 * synthetic clips that go nowhere: Avro decoding of a clip, the input policy, the JPEG decoder, the
 * clip pipeline, the encoder (one clip, and a full batch when batching is on) and the context head
 * at the tensor shapes of landscape 16:9 and 4:3 frames (and a square one), and Avro encoding of a
 * detection. Without it the first clip of a stream pays all of their first uses (class loading,
 * ONNX Runtime's first run at a shape), and its detection comes hundreds of milliseconds after the
 * others (docs/experiments.md, "first detection"). Nothing is forwarded, stored or produced. A
 * failure is logged; the first real clip then reports its own problem through the usual dead-letter
 * path.
 */
final class RecordPathWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(RecordPathWarmUp.class);

  /** Frame aspect ratios (width : height) warmed for: what cameras and video files give. */
  private static final int[][] ASPECTS = {{16, 9}, {4, 3}, {1, 1}};

  private static final String STREAM = "cm-detector.warm-up";

  private final AvroSingleObjectSerde<ClipRecord> clips;
  private final AvroSingleObjectSerde<DetectionRecord> detections = AvroSerdes.detectionRecord();
  private final ClipValidator validator;
  private final ClipPipeline pipeline;
  private final InferencePool pool;
  private final int batchSize;
  private final Set<Thread> warmed = ConcurrentHashMap.newKeySet();

  /**
   * @param batchSize clips per encoder call of the topology (batching across streams): above 1, a
   *     full batch runs once too (ONNX Runtime's first run at a batch size costs like any shape)
   */
  RecordPathWarmUp(
      AvroSingleObjectSerde<ClipRecord> clips,
      ClipValidator validator,
      ClipPipeline pipeline,
      InferencePool pool,
      int batchSize) {
    this.clips = clips;
    this.validator = validator;
    this.pipeline = pipeline;
    this.pool = pool;
    this.batchSize = batchSize;
  }

  /** Warms the calling stream thread once (later tasks of the same thread return at once). */
  void runOnCurrentThread() {
    if (!warmed.add(Thread.currentThread())) {
      return;
    }
    long start = System.nanoTime();
    try {
      ClipInference inference = pool.forCurrentThread();
      for (int[] aspect : ASPECTS) {
        warm(inference, aspect[0], aspect[1]);
      }
      LOG.info(
          "record path warmed on {} in {} ms",
          Thread.currentThread().getName(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      LOG.warn("warm-up of the record path failed: {}", e.toString());
    }
  }

  private void warm(ClipInference inference, int aspectWidth, int aspectHeight) {
    ClipSpec spec = pipeline.spec();
    int height = spec.shortSide();
    int width = Math.round((float) height * aspectWidth / aspectHeight);
    ClipRecord decoded = clips.decode(clips.encode(clip(spec, width, height)));
    ClipRejection rejection = validator.check(decoded);
    if (rejection != null) {
      throw new IllegalStateException("the warm-up clip breaks the input policy: " + rejection);
    }
    List<RgbImage> frames =
        JpegCodec.decodeAll(decoded.getFrames().stream().map(DecodedClip::jpeg).toList());
    ClipTensor tensor = DecodedClip.tensor(decoded, frames, pipeline);
    EncoderInput input = ClipInference.input(tensor, ClipValidator.boxArray(decoded.getBoxes()));
    EncoderOutput e = inference.encodeBatch(List.of(input)).get(0);
    if (batchSize > 1) {
      inference.encodeBatch(Collections.nCopies(batchSize, input)); // a full batch's first run
    }
    int c = e.memoryChannels();
    float[][] scores = inference.scores(e.roiFeats(), e.boxes(), e.key(), new float[c * c]);
    detections.encode(detection(decoded, scores[0]));
  }

  private static ClipRecord clip(ClipSpec spec, int width, int height) {
    JpegCodec jpeg = new JpegCodec(0.9f);
    byte[] gray = new byte[width * height * 3];
    Arrays.fill(gray, (byte) 128);
    List<ByteBuffer> frames = new ArrayList<>();
    for (int t = 0; t < spec.frames(); t++) {
      frames.add(ByteBuffer.wrap(jpeg.encode(new RgbImage(width, height, gray))));
    }
    return ClipRecord.newBuilder()
        .setStreamId(STREAM)
        .setSecond(0)
        .setMediaTimeMs(0L)
        .setCaptureTimeMs(null)
        .setFps(spec.fps())
        .setWidth(width)
        .setHeight(height)
        .setFrames(frames)
        .setBoxes(List.of(new PersonBox(0.25f, 0.25f, 0.75f, 0.75f, 1f)))
        .setEndOfStream(false)
        .build();
  }

  private static DetectionRecord detection(ClipRecord clip, float[] scores) {
    List<ActionScore> actions = new ArrayList<>();
    for (int k = 0; k < scores.length; k++) {
      actions.add(new ActionScore(k + 1, "class " + (k + 1), scores[k]));
    }
    return DetectionRecord.newBuilder()
        .setStreamId(clip.getStreamId())
        .setSecond(clip.getSecond())
        .setModelId("warm-up")
        .setPersons(List.of(new PersonDetection(clip.getBoxes().get(0), actions)))
        .setMemorySeconds(List.of(0))
        .setTiming(
            Timing.newBuilder()
                .setCaptureTimeMs(null)
                .setClipTimestampMs(0L)
                .setEncodeMs(0)
                .setHeadMs(0)
                .setEmitTimeMs(0L)
                .build())
        .build();
  }
}
