package io.cmstream.streamer.publish;

import io.cmstream.schemas.Topic;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.streamer.clip.Clip;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes clip records to {@code cm.clips} (key: stream id; value: Avro single-object encoding).
 * The producer is idempotent with {@code acks=all} and compresses batches. A clip too big for
 * {@code max.request.size} (or rejected by the broker as too large) is logged and skipped; it never
 * stops the stream. Other delivery failures stop it with a clear message.
 */
public final class KafkaClipPublisher implements ClipSink {
  private static final Logger log = LoggerFactory.getLogger(KafkaClipPublisher.class);

  /**
   * Bytes a record adds to its key and value in a request (batch + record headers, generous). The
   * end-of-stream repeat of the last clip is sent like a clip but not counted as one (written,
   * skipped).
   */
  private static final int RECORD_OVERHEAD = 256;

  private final String streamId;
  private final byte[] key;
  private final Topic<String, ClipRecord> topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final int maxRequestSize;
  private final AtomicInteger skipped = new AtomicInteger();
  private final AtomicInteger delivered = new AtomicInteger();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  /**
   * @param overrides producer properties from the user's file (may not turn off idempotence or
   *     acks=all)
   */
  public KafkaClipPublisher(
      String bootstrapServers,
      Topic<String, ClipRecord> topic,
      String streamId,
      Properties overrides) {
    this.streamId = streamId;
    this.key = streamId.getBytes(StandardCharsets.UTF_8);
    this.topic = topic;
    Properties p = producerConfig(bootstrapServers, streamId, overrides);
    this.maxRequestSize = Integer.parseInt(p.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    try {
      this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new IllegalArgumentException("invalid producer configuration: " + rootMessage(e), e);
    }
  }

  /** The producer configuration: defaults, then the user's overrides, then what is enforced. */
  public static Properties producerConfig(
      String bootstrapServers, String streamId, Properties overrides) {
    Properties p = new Properties();
    p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(1024 * 1024));
    p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "cm-streamer-" + streamId);
    if (overrides != null) {
      for (String name : overrides.stringPropertyNames()) {
        p.setProperty(name, overrides.getProperty(name));
      }
    }
    warnIfOverridden(p, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    warnIfOverridden(p, ProducerConfig.ACKS_CONFIG, "all");
    p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.setProperty(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  private static void warnIfOverridden(Properties p, String name, String enforced) {
    String v = p.getProperty(name);
    if (v != null && !v.equalsIgnoreCase(enforced) && !("acks".equals(name) && "-1".equals(v))) {
      log.warn(
          "producer property {}={} ignored: the streamer always uses {}={}",
          name,
          v,
          name,
          enforced);
    }
  }

  @Override
  public long accept(Clip clip) {
    Exception earlier = failure.get();
    if (earlier != null) {
      throw new IllegalStateException(
          "publishing to " + topic.name() + " failed: " + rootMessage(earlier), earlier);
    }
    byte[] value =
        topic.valueSerde().serializer().serialize(topic.name(), ClipRecords.toAvro(streamId, clip));
    long size = (long) value.length + key.length + RECORD_OVERHEAD;
    boolean repeat =
        clip.endOfStream(); // the end-of-stream repeat of the last clip: not a new clip
    if (size > maxRequestSize) {
      if (!repeat) {
        skipped.incrementAndGet();
      }
      log.warn(
          "clip of second {} skipped: {} bytes is more than max.request.size={} (lower --jpeg-quality or "
              + "--short-side, or raise max.request.size and the topic's max.message.bytes)",
          clip.second(),
          value.length,
          maxRequestSize);
      return 0;
    }
    int second = clip.second();
    try {
      producer.send(
          new ProducerRecord<>(topic.name(), key, value),
          (md, e) -> {
            if (e == null) {
              if (!repeat) {
                delivered.incrementAndGet();
              }
            } else if (e instanceof RecordTooLargeException) {
              if (!repeat) {
                skipped.incrementAndGet();
              }
              log.warn(
                  "clip of second {} skipped: the broker rejected {} bytes as too large ({})",
                  second,
                  value.length,
                  e.getMessage());
            } else {
              failure.compareAndSet(null, e);
            }
          });
    } catch (RecordTooLargeException e) {
      if (!repeat) {
        skipped.incrementAndGet();
      }
      log.warn("clip of second {} skipped: {}", second, e.getMessage());
      return 0;
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "publishing to " + topic.name() + " failed: " + rootMessage(e), e);
    }
    return value.length;
  }

  @Override
  public int skipped() {
    return skipped.get();
  }

  @Override
  public int written() {
    return delivered.get();
  }

  @Override
  public void close() {
    try {
      producer.flush();
    } finally {
      producer.close(Duration.ofSeconds(30));
    }
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException(
          "publishing to " + topic.name() + " failed: " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
