package io.cmstream.detector.topology;

import io.cmstream.detector.DetectorMetrics;
import io.cmstream.schemas.DeadLetterBound;
import io.cmstream.schemas.DlqReason;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * A processor's way to the dead-letter sink: counts the reason, adds the dead-letter headers, keeps
 * the record within the DLQ topic's limit ({@link DeadLetterBound} from the application config
 * {@value DeadLetterBound#CONFIG}) and forwards it, in the same transaction as the record's other
 * output.
 */
final class DeadLetters {

  private final ProcessorContext<Object, Object> context;
  private final DetectorMetrics metrics;
  private final DeadLetterBound bound;
  private final String where;

  DeadLetters(ProcessorContext<Object, Object> context, DetectorMetrics metrics, String where) {
    this.context = context;
    this.metrics = metrics;
    this.bound = DeadLetterBound.fromConfig(context.appConfigs());
    this.where = where;
  }

  void send(RawInput raw, DlqReason reason, String detail) {
    metrics.deadLetter(reason);
    context.forward(
        raw.deadLetter(reason, detail, context.currentSystemTimeMs(), where, bound),
        DetectorTopology.DLQ_SINK);
  }

  /**
   * Dead-letters the record an exception escaped from with {@code PROCESSING_FAILED}, so that no
   * record can stop the application. Kafka Streams' own exceptions (a fenced producer, a failed
   * store, a migrated task) are not the record's fault and go on up.
   */
  void failed(RawInput raw, String step, RuntimeException e) {
    if (e instanceof StreamsException) {
      throw e;
    }
    send(raw, DlqReason.PROCESSING_FAILED, step + ": " + e);
  }
}
