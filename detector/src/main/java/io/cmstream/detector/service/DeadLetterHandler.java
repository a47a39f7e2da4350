package io.cmstream.detector.service;

import io.cmstream.detector.topology.RawInput;
import io.cmstream.schemas.DeadLetterBound;
import io.cmstream.schemas.DlqReason;
import io.cmstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' deserialization, processing and production exception handler of the detector: the
 * source record of the failure goes to the DLQ with the reason and the service goes on (the
 * record's offset is committed with the next commit, so a restart does not meet it again).
 *
 * <p>The processors dead-letter their own failures inside the transaction (see {@code
 * topology/DeadLetters.java}); this handler is the net for whatever escapes them. Kafka Streams 4.1
 * handlers can only answer CONTINUE or FAIL (handlers that return dead-letter records, KIP-1034,
 * come in a later release), so the handler writes the dead letter itself with its own idempotent
 * producer and waits for the broker's ack before it answers CONTINUE: at least once, outside the
 * transaction. If the DLQ cannot be written it answers FAIL: a record is never dropped. Kafka
 * Streams' own exceptions (fenced producer, failed store, migrated task) are not the record's
 * fault: FAIL, the offset stays uncommitted.
 */
public final class DeadLetterHandler
    implements DeserializationExceptionHandler,
        ProcessingExceptionHandler,
        ProductionExceptionHandler {

  /** Application property: the dead-letter topic (set by {@link DeadLetterSettings}). */
  public static final String TOPIC_CONFIG = "cm.dlq.topic";

  static final String WHERE = "cm-detector/handler";
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private String topic = Topics.CLIPS_DLQ;
  private DeadLetterBound bound = new DeadLetterBound(DeadLetterBound.KAFKA_DEFAULT);
  private Map<String, Object> producerConfig = Map.of();
  private KafkaProducer<byte[], byte[]> producer;

  @Override
  public void configure(Map<String, ?> configs) {
    Object t = configs.get(TOPIC_CONFIG);
    topic = t == null ? Topics.CLIPS_DLQ : t.toString();
    bound = DeadLetterBound.fromConfig(configs);
    // StreamsConfig's protected quiet constructor: Streams builds handlers per task, each would log
    // every setting
    StreamsConfig streams = new StreamsConfig(configs, false) {};
    Map<String, Object> p = new HashMap<>(streams.getProducerConfigs("cm-detector-dlq-handler"));
    p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() - 1000);
    producerConfig = p;
  }

  @Override
  public DeserializationHandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    RawInput raw =
        new RawInput(
            record.key(),
            record.value(),
            record.headers(),
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp());
    return write(raw, DlqReason.UNDECODABLE, "deserializing: " + exception)
        ? DeserializationHandlerResponse.CONTINUE
        : DeserializationHandlerResponse.FAIL;
  }

  @Override
  public ProcessingHandlerResponse handle(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (exception instanceof StreamsException) {
      return ProcessingHandlerResponse.FAIL;
    }
    return write(
            source(context),
            DlqReason.PROCESSING_FAILED,
            "processor " + context.processorNodeId() + ": " + exception)
        ? ProcessingHandlerResponse.CONTINUE
        : ProcessingHandlerResponse.FAIL;
  }

  @Override
  public ProductionExceptionHandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    return write(
            source(context),
            DlqReason.PROCESSING_FAILED,
            "producing to " + record.topic() + ": " + exception)
        ? ProductionExceptionHandlerResponse.CONTINUE
        : ProductionExceptionHandlerResponse.FAIL;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ProductionExceptionHandlerResponse handleSerializationException(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    return write(
            source(context),
            DlqReason.PROCESSING_FAILED,
            "serializing the "
                + origin.name().toLowerCase()
                + " for "
                + record.topic()
                + ": "
                + exception)
        ? ProductionExceptionHandlerResponse.CONTINUE
        : ProductionExceptionHandlerResponse.FAIL;
  }

  private static RawInput source(ErrorHandlerContext c) {
    return new RawInput(
        c.sourceRawKey(),
        c.sourceRawValue(),
        c.headers(),
        c.topic(),
        c.partition(),
        c.offset(),
        c.timestamp());
  }

  /** Writes the dead letter and waits for the ack; false when it could not be written. */
  private boolean write(RawInput raw, DlqReason reason, String detail) {
    try {
      Record<byte[], byte[]> letter =
          raw.deadLetter(reason, detail, System.currentTimeMillis(), WHERE, bound);
      if (producer == null) {
        producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
      }
      producer
          .send(
              new ProducerRecord<>(
                  topic, null, letter.timestamp(), letter.key(), letter.value(), letter.headers()))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.warn(
          "dead-lettered {}-{}@{} to {}: {} {}",
          raw.topic(),
          raw.partition(),
          raw.offset(),
          topic,
          reason,
          detail);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.error(
          "cannot dead-letter {}-{}@{} to {} ({} {}): {}",
          raw.topic(),
          raw.partition(),
          raw.offset(),
          topic,
          reason,
          detail,
          e.toString());
      return false;
    }
  }
}
