package io.cmstream.app.bench;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.model.ClipInference;
import io.cmstream.detector.replay.Bench;
import io.cmstream.detector.replay.SyntheticClips;
import io.cmstream.detector.service.DetectorService;
import io.cmstream.kafka.EmbeddedKafkaBroker;
import io.cmstream.schemas.AvroSerdes;
import io.cmstream.schemas.Topics;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The detector service on the in-process KRaft broker (exactly-once, RocksDB stores, the default
 * commit interval), fed S synthetic streams, against the raw encoder+head loop on the same clips in
 * the same run. Latency is from the send of a clip to the arrival of its second's detection at a
 * {@code read_committed} consumer (the detection of second t also waits for its window's ahead).
 */
public final class LiveBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final EmbeddedKafkaBroker broker;
  private final DetectorConfig base;
  private final Path stateRoot;
  private final int streamThreads;
  private final int partitions;
  private final long commitIntervalMs;

  /**
   * @param commitIntervalMs the service's {@code commit.interval.ms}
   */
  public LiveBench(
      EmbeddedKafkaBroker broker,
      DetectorConfig base,
      Path stateRoot,
      int streamThreads,
      int partitions,
      long commitIntervalMs) {
    this.broker = broker;
    this.base = base;
    this.stateRoot = stateRoot;
    this.streamThreads = streamThreads;
    this.partitions = partitions;
    this.commitIntervalMs = commitIntervalMs;
  }

  /**
   * @param streams streams at once
   * @param seconds clips per stream (the last one ends its stream)
   * @param rate clips per second per stream, 0 = as fast as the producer goes
   */
  public LivePoint run(int streams, int seconds, double rate, SyntheticClips synth, Duration limit)
      throws IOException, InterruptedException {
    String prefix = "bench-" + streams + "-" + UUID.randomUUID().toString().substring(0, 8);
    Topics topics = Topics.named(prefix + ".clips", prefix + ".detections", prefix + ".dlq");
    broker.createTopics(
        partitions, topics.clips().name(), topics.detections().name(), topics.clipsDlq().name());
    DetectorConfig config = base.withTopics(topics);
    List<ClipRecord> clips = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      for (int v = 0; v < streams; v++) {
        clips.add(synth.clip("cam-" + v, s, s == seconds - 1));
      }
    }
    double raw;
    double rawCpuMsPerClip;
    try (ClipInference inference = config.model().inference().open()) {
      Bench.rawLoop(
          config,
          clips.subList(0, 1),
          inference); // warm, as the service is before its clock starts
      long rawCpu0 = THREADS.getCurrentThreadCpuTime();
      raw = Bench.rawLoop(config, clips, inference);
      rawCpuMsPerClip = (THREADS.getCurrentThreadCpuTime() - rawCpu0) / 1e6 / clips.size();
    }
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(prefix).toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(streamThreads));
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(commitIntervalMs));
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    double[] latencies = new double[clips.size()];
    int got = 0;
    long t0;
    long last;
    long cpu0;
    long streamCpu0;
    long streamCpu;
    try (DetectorService service = new DetectorService(config, props, -1);
        KafkaProducer<byte[], byte[]> producer = producer();
        KafkaConsumer<byte[], byte[]> reader = broker.committedReader(topics.detections().name())) {
      service.start();
      long ready = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (service.state() != KafkaStreams.State.RUNNING && System.nanoTime() < ready) {
        reader.poll(Duration.ofMillis(100));
      }
      warmUp(producer, reader, topics.clips().name(), synth);
      cpu0 = cpuNanos();
      streamCpu0 = streamThreadCpuNanos();
      t0 = System.nanoTime();
      Thread publisher =
          new Thread(
              () -> publish(producer, topics.clips().name(), clips, rate, sentAt),
              "bench-publisher");
      publisher.start();
      last = t0;
      long deadline = t0 + limit.toNanos();
      while (got < clips.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          DetectionRecord d = AvroSerdes.detectionRecord().decode(r.value());
          Long sent = sentAt.get(d.getStreamId() + "@" + d.getSecond());
          if (sent != null && got < latencies.length) {
            latencies[got++] = (now - sent) / 1e6;
            last = now;
          }
        }
      }
      publisher.join();
      streamCpu = streamThreadCpuNanos() - streamCpu0;
    }
    if (got < clips.size()) {
      throw new IllegalStateException(
          streams
              + " streams: "
              + got
              + " of "
              + clips.size()
              + " detections within "
              + limit.toSeconds()
              + " s");
    }
    double wall = (last - t0) / 1e9;
    double cpuCores = (cpuNanos() - cpu0) / 1e9 / wall;
    Arrays.sort(latencies);
    return new LivePoint(
        streams,
        clips.size(),
        clips.size() / wall,
        percentile(latencies, 0.50),
        percentile(latencies, 0.95),
        cpuCores,
        raw,
        streamCpu / 1e6 / clips.size(),
        rawCpuMsPerClip);
  }

  /**
   * One clip on each of 2 x partitions x threads short streams, read back before the clock starts:
   * every stream thread has opened its ONNX sessions and every task has committed once.
   */
  private void warmUp(
      KafkaProducer<byte[], byte[]> producer,
      KafkaConsumer<byte[], byte[]> reader,
      String topic,
      SyntheticClips synth) {
    int n = 2 * partitions * streamThreads;
    for (int k = 0; k < n; k++) {
      String id = "warm-up-" + k;
      producer.send(
          new ProducerRecord<>(
              topic,
              id.getBytes(StandardCharsets.UTF_8),
              AvroSerdes.clipRecord().encode(synth.clip(id, 0, true))));
    }
    producer.flush();
    int got = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (got < n && System.nanoTime() < deadline) {
      got += reader.poll(Duration.ofMillis(50)).count();
    }
    if (got < n) {
      throw new IllegalStateException("warm-up: " + got + " of " + n + " detections within 120 s");
    }
  }

  private static void publish(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      List<ClipRecord> clips,
      double rate,
      Map<String, Long> sentAt) {
    long start = System.nanoTime();
    for (ClipRecord c : clips) {
      if (rate > 0) {
        long due = start + (long) (c.getSecond() / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      String id = c.getStreamId().toString();
      sentAt.put(id + "@" + c.getSecond(), System.nanoTime());
      producer.send(
          new ProducerRecord<>(
              topic, id.getBytes(StandardCharsets.UTF_8), AvroSerdes.clipRecord().encode(c)));
    }
    producer.flush();
  }

  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /**
   * CPU time of the detector's stream threads (Kafka Streams names them {@code
   * <client>-StreamThread-<n>}; ONNX Runtime with one intra-op thread runs on the calling thread):
   * the service's own work, without the broker, the publisher and the reader sharing this JVM.
   */
  private static long streamThreadCpuNanos() {
    long sum = 0;
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t != null && t.getThreadName().contains("-StreamThread-")) {
        long cpu = THREADS.getThreadCpuTime(t.getThreadId());
        sum += Math.max(0, cpu);
      }
    }
    return sum;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        String.valueOf(EmbeddedKafkaBroker.MAX_MESSAGE_BYTES));
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
