package io.cmstream.detector.topology;

import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.ClipInference;
import io.cmstream.detector.model.InferencePool;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.schemas.DlqReason;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Step 2: runs encoder.onnx on the clip with the session set of the current stream thread. */
final class EncodeProcessor implements Processor<String, DecodedClip, Object, Object> {

  static final String WHERE = "cm-detector/encode";

  private final InferencePool pool;
  private final DetectorMetrics metrics;
  private final RecordPathWarmUp warmUp;
  private ProcessorContext<Object, Object> context;
  private DeadLetters deadLetters;

  EncodeProcessor(InferencePool pool, DetectorMetrics metrics, RecordPathWarmUp warmUp) {
    this.pool = pool;
    this.metrics = metrics;
    this.warmUp = warmUp;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.deadLetters = new DeadLetters(context, metrics, WHERE);
    warmUp.runOnCurrentThread(); // at task start, on the stream thread, not on the first clip
  }

  @Override
  public void process(Record<String, DecodedClip> record) {
    try {
      encode(record);
    } catch (RuntimeException e) {
      deadLetters.failed(record.value().raw(), "encode", e);
    }
  }

  private void encode(Record<String, DecodedClip> record) {
    DecodedClip clip = record.value();
    ClipInference inference = pool.forCurrentThread();
    long start = System.nanoTime();
    EncoderOutput encoded;
    try {
      encoded = inference.encode(clip.tensor(), clip.boxes());
    } catch (RuntimeException e) {
      // a clip the model cannot run (e.g. a shape it refuses) must not stop the application
      deadLetters.send(clip.raw(), DlqReason.PROCESSING_FAILED, "encoder: " + e.getMessage());
      return;
    }
    double millis = (System.nanoTime() - start) / 1e6;
    metrics.encoded(millis);
    context.forward(
        record.withValue(
            new EncodedInput(
                clip.raw(), clip.record(), encoded, millis, System.currentTimeMillis())),
        DetectorTopology.MEMORY);
  }
}
