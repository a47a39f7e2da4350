package io.cmstream.detector.service;

import io.cmstream.schemas.AvroSerdes;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node KRaft cluster (combined broker+controller) for the integration tests. */
final class KafkaCluster implements AutoCloseable {

  private final KafkaClusterTestKit kit;

  KafkaCluster() throws Exception {
    kit =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.min.session.timeout.ms", "1000")
            // the CI machine is shared and often overloaded: do not fence the only broker for a
            // late heartbeat (that moves partition leadership and fails producers)
            .setConfigProp("broker.session.timeout.ms", "60000")
            // abort a dead producer's open transaction within a second of its timeout (broker
            // default:
            // checked every 10 s), as docker-compose.yml and k8s/base/kafka.yaml set it
            .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
            // a group's first join is not held back 3 s for more members (as in docker-compose.yml)
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
  }

  String bootstrapServers() {
    return kit.bootstrapServers();
  }

  void createTopics(Map<String, Integer> partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      partitions.forEach(
          (name, n) -> topics.add(new NewTopic(name, Optional.of(n), Optional.empty())));
      admin.createTopics(topics).all().get();
      // wait until every partition has a leader: producing earlier fails while leadership settles
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        boolean ready;
        try {
          ready =
              admin.describeTopics(partitions.keySet()).allTopicNames().get().values().stream()
                  .allMatch(
                      d ->
                          d.partitions().stream()
                              .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause()
              instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
            throw e;
          }
          ready = false; // created, but the broker's metadata has not caught up yet
        }
        if (ready) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "topics " + partitions.keySet() + " have no leaders after 60 s");
        }
        Thread.sleep(100);
      }
    }
  }

  void produce(String topic, List<ClipRecord> clips) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // plain retries in order (one request in flight): a leadership move under load must not wedge
    // an
    // idempotent producer in OutOfOrderSequence; a resent duplicate clip is ignored by the detector
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (ClipRecord c : clips) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    c.getStreamId().toString().getBytes(StandardCharsets.UTF_8),
                    AvroSerdes.clipRecord().encode(c))));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(); // a clip that was not written fails the test here, not as a missing detection
        // later
      }
    }
  }

  void produceRaw(String topic, byte[] key, byte[] value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  /** A read_committed consumer of a topic from the beginning. */
  KafkaConsumer<byte[], byte[]> committedReader(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
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

  @Override
  public void close() throws Exception {
    kit.close();
  }
}
