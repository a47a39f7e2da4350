package io.cmstream.detector.topology;

import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.schemas.AvroSingleObjectSerde;
import io.cmstream.schemas.DlqReason;
import io.cmstream.schemas.RecordDecodingException;
import io.cmstream.schemas.avro.ClipRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Step 1: bytes to a model-ready clip. Decodes the Avro single-object value, applies the input
 * policy, decodes the JPEG frames and builds the [3,T,H,W] tensor with the shared clip pipeline.
 * Anything wrong goes to the dead-letter sink with the original bytes.
 */
final class ValidateProcessor implements Processor<byte[], byte[], Object, Object> {

  static final String WHERE = "cm-detector/validate";

  private final AvroSingleObjectSerde<ClipRecord> serde;
  private final ClipValidator validator;
  private final ClipPipeline pipeline;
  private final DetectorMetrics metrics;
  private ProcessorContext<Object, Object> context;
  private DeadLetters deadLetters;

  ValidateProcessor(
      AvroSingleObjectSerde<ClipRecord> serde,
      ClipValidator validator,
      ClipPipeline pipeline,
      DetectorMetrics metrics) {
    this.serde = serde;
    this.validator = validator;
    this.pipeline = pipeline;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.deadLetters = new DeadLetters(context, metrics, WHERE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.clipIn();
    RawInput raw = RawInput.of(record, context.recordMetadata().orElse(null));
    try {
      validate(record, raw);
    } catch (RuntimeException e) {
      deadLetters.failed(raw, "validate", e);
    }
  }

  private void validate(Record<byte[], byte[]> record, RawInput raw) {
    if (record.value() == null) {
      reject(raw, DlqReason.UNDECODABLE, "null value");
      return;
    }
    ClipRecord clip;
    try {
      clip = serde.decode(record.value());
    } catch (RecordDecodingException e) {
      reject(raw, e.reason(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      reject(raw, DlqReason.UNDECODABLE, e.toString());
      return;
    }
    ClipRejection rejection = validator.check(clip);
    if (rejection == null) {
      rejection = checkKey(record.key(), clip);
    }
    if (rejection != null) {
      reject(raw, rejection.reason(), rejection.detail());
      return;
    }
    List<RgbImage> frames = new ArrayList<>(clip.getFrames().size());
    for (int i = 0; i < clip.getFrames().size(); i++) {
      try {
        frames.add(JpegCodec.decode(DecodedClip.jpeg(clip.getFrames().get(i))));
      } catch (RuntimeException e) {
        reject(raw, DlqReason.CORRUPT_JPEG, "frame " + i + ": " + e.getMessage());
        return;
      }
      RgbImage f = frames.get(i);
      if (f.width() != clip.getWidth() || f.height() != clip.getHeight()) {
        reject(
            raw,
            DlqReason.FRAME_POLICY,
            "frame "
                + i
                + " is "
                + f.width()
                + "x"
                + f.height()
                + " but the record says "
                + clip.getWidth()
                + "x"
                + clip.getHeight());
        return;
      }
    }
    context.forward(
        new Record<>(
            clip.getStreamId().toString(),
            DecodedClip.of(raw, clip, frames, pipeline),
            record.timestamp(),
            record.headers()),
        DetectorTopology.ENCODE);
  }

  private static ClipRejection checkKey(byte[] key, ClipRecord clip) {
    String id = clip.getStreamId().toString();
    if (key == null || !id.equals(new String(key, StandardCharsets.UTF_8))) {
      return new ClipRejection(
          DlqReason.PROCESSING_FAILED,
          "record key must be the stream id '"
              + id
              + "' (it decides the partition of the stream's state)");
    }
    return null;
  }

  private void reject(RawInput raw, DlqReason reason, String detail) {
    deadLetters.send(raw, reason, detail);
  }
}
