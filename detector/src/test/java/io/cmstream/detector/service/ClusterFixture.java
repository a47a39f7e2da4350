package io.cmstream.detector.service;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.model.BundleLoader;
import io.cmstream.kafka.EmbeddedKafkaExtension;
import io.cmstream.kafka.TempFolders;
import io.cmstream.runtime.Device;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.runtime.TinyCmModel;
import io.cmstream.schemas.AvroSerdes;
import io.cmstream.schemas.Topics;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the detector's broker integration tests share, for all tests of a class: a real in-process
 * KRaft broker ({@link EmbeddedKafkaExtension}), a sealed tiny bundle ({@link TinyCmModel}) in a
 * temporary folder removed at the end, and the clients the tests produce and read with.
 *
 * <pre>{@code
 * @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(11);
 * }</pre>
 */
final class ClusterFixture implements BeforeAllCallback, AfterAllCallback {

  /** The pending-second timeout of the tests: it never fires, so outputs depend on input only. */
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final long bundleSeed;
  private final EmbeddedKafkaExtension kafka = EmbeddedKafkaExtension.plaintext();
  private Path temp;
  private Path bundle;

  /** A fixture whose bundle has the weights of {@code bundleSeed}. */
  ClusterFixture(long bundleSeed) {
    this.bundleSeed = bundleSeed;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    temp = Files.createTempDirectory("cm-detector-it-");
    bundle = TinyCmModel.write(temp.resolve("bundle"), bundleSeed);
    kafka.beforeAll(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      kafka.afterAll(context);
    } finally {
      TempFolders.delete(temp);
    }
  }

  /** The class's temporary folder (state stores, logs), removed after its last test. */
  Path temp() {
    return temp;
  }

  /** The sealed tiny bundle's folder. */
  Path bundle() {
    return bundle;
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** The detector's defaults on the bundle, with these topics and the tests' timeout. */
  DetectorConfig config(Topics topics) {
    return DetectorConfig.defaults(BundleLoader.load(bundle, SessionSettings.on(Device.CPU)))
        .withTopics(topics)
        .withTimeout(TIMEOUT);
  }

  /**
   * The arguments of {@code detector run} (after {@code run}) on this broker and bundle, for these
   * topics, with the tests' timeout, one ONNX Runtime thread and the topics created by the test.
   */
  List<String> detectorArgs(String applicationId, Topics topics) {
    return List.of(
        "--bootstrap-servers",
        bootstrapServers(),
        "--bundle",
        bundle.toString(),
        "--application-id",
        applicationId,
        "--clips-topic",
        topics.clips().name(),
        "--detections-topic",
        topics.detections().name(),
        "--dlq-topic",
        topics.clipsDlq().name(),
        "--timeout",
        String.valueOf(TIMEOUT.toSeconds()),
        "--ort-threads",
        "1",
        "--no-create-topics");
  }

  /** Creates the topics (name -> partitions) and waits until every partition has a leader. */
  void createTopics(Map<String, Integer> partitions) {
    kafka.broker().createTopics(partitions, Map.of());
  }

  /**
   * The tests' producer settings: acks from all replicas and plain retries in order (one request in
   * flight): a leadership move under load must not wedge an idempotent producer in
   * OutOfOrderSequence; a resent duplicate clip is ignored by the detector.
   */
  Properties producerProperties() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    return p;
  }

  void produce(String topic, List<ClipRecord> clips) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<?>> sent = new ArrayList<>();
      for (ClipRecord c : clips) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    c.getStreamId().toString().getBytes(StandardCharsets.UTF_8),
                    AvroSerdes.clipRecord().encode(c))));
      }
      producer.flush();
      for (Future<?> f : sent) {
        f.get(); // a clip that was not written fails the test here, not as a missing detection
      }
    }
  }

  void produceRaw(String topic, byte[] key, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  /** A read_committed consumer of a topic from the beginning. */
  KafkaConsumer<byte[], byte[]> committedReader(String topic) {
    return kafka.broker().committedReader(topic);
  }

  /** Polls detections until {@code count} arrived or the deadline passed. */
  static List<DetectionRecord> pollDetections(
      KafkaConsumer<byte[], byte[]> consumer,
      List<DetectionRecord> into,
      int count,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (into.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        into.add(AvroSerdes.detectionRecord().decode(r.value()));
      }
    }
    return into;
  }
}
