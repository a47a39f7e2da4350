package io.cmstream.detector.service;

import io.cmstream.schemas.DeadLetterBound;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams properties that send every failing record to the dead-letter topic: the three
 * exception handlers ({@link DeadLetterHandler}), the topic's name, and its size limit ({@value
 * DeadLetterBound#CONFIG}: the topic's {@code max.message.bytes}, at most the producer's {@code
 * max.request.size}). Properties given explicitly win.
 */
public final class DeadLetterSettings {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSettings.class);
  private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(10);

  /** Kafka's default {@code max.request.size}. */
  private static final int DEFAULT_MAX_REQUEST = 1_048_576;

  private DeadLetterSettings() {}

  /**
   * {@code props} plus the handler settings; reads the topic's limit from the cluster unless given.
   */
  public static Properties apply(Properties props, String dlqTopic) {
    Properties out = handlers(dlqTopic);
    out.putAll(props);
    if (!out.containsKey(DeadLetterBound.CONFIG)) {
      out.put(
          DeadLetterBound.CONFIG,
          Integer.toString(Math.min(topicLimit(out, dlqTopic), producerLimit(out))));
    }
    return out;
  }

  /** The handler class names and the dead-letter topic (no limit, no I/O). */
  static Properties handlers(String dlqTopic) {
    Properties p = new Properties();
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandler.class.getName());
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
    p.put(DeadLetterHandler.TOPIC_CONFIG, dlqTopic);
    return p;
  }

  static int producerLimit(Properties props) {
    String v =
        props.getProperty(
            StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
            props.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    return v == null ? DEFAULT_MAX_REQUEST : Integer.parseInt(v.trim());
  }

  /** The topic's max.message.bytes; Kafka's default when it cannot be read (logged). */
  static int topicLimit(Properties props, String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin =
        Admin.create(new StreamsConfig(props, false) {}.getAdminConfigs("cm-detector-dlq-limit"))) {
      Config config =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(DESCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(resource);
      ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      return Integer.parseInt(entry.value());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the configuration of " + topic, e);
    } catch (Exception e) {
      LOG.warn(
          "cannot read max.message.bytes of {} ({}); dead letters are kept within Kafka's default {} bytes "
              + "(set {} to override)",
          topic,
          e.toString(),
          DeadLetterBound.KAFKA_DEFAULT,
          DeadLetterBound.CONFIG);
      return DeadLetterBound.KAFKA_DEFAULT;
    }
  }
}
