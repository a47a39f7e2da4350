package io.cmstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerIntegrationTest {

  @Test
  void shouldWarmUpTransactionsOnItsOwnTopicOnly() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0)) {
      broker.createTopics(1, "t.user");
      broker.warmUpTransactions();
      try (Admin admin = broker.admin()) {
        assertEquals(
            Set.of("t.user", EmbeddedKafkaBroker.WARM_UP_TOPIC),
            admin.listTopics().names().get(),
            "no other topic is created");
        TopicPartition tp = new TopicPartition(EmbeddedKafkaBroker.WARM_UP_TOPIC, 0);
        // one record + its commit marker, and the offset committed inside the transaction
        assertEquals(
            2L, admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset());
        assertEquals(
            1L,
            admin
                .listConsumerGroupOffsets("cm-embedded-warm-up")
                .partitionsToOffsetAndMetadata()
                .get()
                .get(tp)
                .offset());
      }
      try (KafkaConsumer<byte[], byte[]> user = broker.committedReader("t.user")) {
        assertTrue(user.poll(Duration.ofMillis(500)).isEmpty(), "nothing is written elsewhere");
      }
    }
  }

  @Test
  void shouldCarryRecordsAndRemoveItsFolderOnClose() throws Exception {
    Path dir;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0)) {
      dir = broker.dataDir();
      assertTrue(Files.isDirectory(dir));
      broker.createTopics(2, "t.one");
      broker.createTopics(2, "t.one"); // idempotent
      Properties pp = new Properties();
      pp.put("bootstrap.servers", broker.bootstrapServers());
      pp.put("enable.idempotence", "true");
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("t.one", "k", "hello")).get();
      }
      Properties cp = new Properties();
      cp.put("bootstrap.servers", broker.bootstrapServers());
      cp.put("group.id", "g");
      cp.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("t.one"));
        String got = null;
        long deadline = System.currentTimeMillis() + 30_000;
        while (got == null && System.currentTimeMillis() < deadline) {
          ConsumerRecords<String, String> rs = consumer.poll(Duration.ofMillis(200));
          if (!rs.isEmpty()) {
            got = rs.iterator().next().value();
          }
        }
        assertEquals("hello", got);
      }
    }
    assertFalse(Files.exists(dir), "the broker's folder is removed on close");
  }

  @Test
  void shouldRefuseAPortInUseWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> EmbeddedKafkaBroker.start(taken.getLocalPort()));
      assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    }
  }
}
