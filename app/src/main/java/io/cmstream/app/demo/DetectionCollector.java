package io.cmstream.app.demo;

import io.cmstream.schemas.Topic;
import io.cmstream.schemas.avro.ActionScore;
import io.cmstream.schemas.avro.ClipTimes;
import io.cmstream.schemas.avro.DetectionRecord;
import io.cmstream.schemas.avro.PersonBox;
import io.cmstream.schemas.avro.PersonDetection;
import io.cmstream.schemas.avro.Timing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the detection topic (read_committed: only what the exactly-once detector committed) on its
 * own thread, keeping the newest record per second and the end-to-end latency of each.
 */
public final class DetectionCollector implements AutoCloseable {
  /** A detection and when it was read. */
  public record Received(DetectionRecord record, long receivedMs) {
    /** Capture (or clip) time to reading it here, in milliseconds. */
    public long latencyMs() {
      Long capture = record.getTiming().getCaptureTimeMs();
      long from = capture != null ? capture : record.getTiming().getClipTimestampMs();
      return receivedMs - from;
    }
  }

  private final KafkaConsumer<String, DetectionRecord> consumer;
  private final Topic<String, DetectionRecord> topic;
  private final String streamId;
  private final TreeMap<Integer, Received> bySecond = new TreeMap<>();
  private final List<Long> latencies = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile RuntimeException failure;
  private long records;

  public DetectionCollector(
      String bootstrapServers, Topic<String, DetectionRecord> topic, String streamId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "cm-demo-" + streamId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // a read_committed fetch can sit out fetch.max.wait.ms (500 ms) before it sees a commit
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    Deserializer<DetectionRecord> values = topic.valueSerde().deserializer();
    // a long-running reader has decoded many records; this one decodes one before the clock runs
    values.deserialize(
        topic.name(), topic.valueSerde().serializer().serialize(topic.name(), sample()));
    this.consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(), values);
    this.topic = topic;
    this.streamId = streamId;
    this.thread = new Thread(this::loop, "demo-detections");
    this.thread.setDaemon(true);
  }

  /** A detection of one person with one action, to decode once at start. */
  private static DetectionRecord sample() {
    return DetectionRecord.newBuilder()
        .setStreamId("cm-demo.warm-up")
        .setSecond(0)
        .setModelId("warm-up")
        .setPersons(
            List.of(
                new PersonDetection(
                    new PersonBox(0.25f, 0.25f, 0.75f, 0.75f, 1f),
                    List.of(new ActionScore(1, "warm-up", 0.5f)))))
        .setMemorySeconds(List.of(0))
        .setTiming(
            Timing.newBuilder()
                .setCaptureTimeMs(0L)
                .setClipTimestampMs(0L)
                .setEncodeMs(0)
                .setHeadMs(0)
                .setEmitTimeMs(0L)
                .setClip(new ClipTimes(0, 0L, 0L, 0L, 0L))
                .setWindow(new ClipTimes(0, 0L, 0L, 0L, 0L))
                .build())
        .build();
  }

  public void start() {
    consumer.subscribe(List.of(topic.name()));
    thread.start();
  }

  private void loop() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, DetectionRecord> r : consumer.poll(Duration.ofMillis(100))) {
          if (!streamId.equals(r.key())) {
            continue;
          }
          Received got = new Received(r.value(), System.currentTimeMillis());
          synchronized (this) {
            records++;
            bySecond.put(r.value().getSecond(), got);
            latencies.add(got.latencyMs());
          }
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Records read (a second read twice would count twice: the demo checks there are none). */
  public synchronized long records() {
    return records;
  }

  public synchronized int seconds() {
    return bySecond.size();
  }

  public synchronized Map<Integer, Received> bySecond() {
    return new TreeMap<>(bySecond);
  }

  public synchronized List<Long> latencies() {
    return List.copyOf(latencies);
  }

  public synchronized Received latest() {
    return bySecond.isEmpty() ? null : bySecond.lastEntry().getValue();
  }

  /** The consumer's failure, if it stopped on one. */
  public RuntimeException failure() {
    return failure;
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
