package io.cmstream.detector.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Topic creation and the reachability check on a real KRaft broker that only speaks SASL (PLAIN,
 * ACLs on, the test kit's users): they connect with the streams client's properties, so the same
 * {@code --config} that lets the service in lets topic creation in; without it, one clear error
 * within the timeout.
 */
class ClusterSetupIntegrationTest {

  private static KafkaClusterTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    kit =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
  }

  /** What a --config file for this cluster holds, on top of what the CLI sets. */
  private static Properties streamsProperties(boolean withCredentials) {
    Properties p = new Properties();
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "setup-it");
    if (withCredentials) {
      p.put("security.protocol", "SASL_PLAINTEXT");
      p.put("sasl.mechanism", "PLAIN");
      p.put(
          "sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required "
              + "username=\"plain-admin\" password=\"plain-admin-secret\";");
    }
    return DetectorService.withDefaults(p);
  }

  @Test
  void shouldCreateTheTopicsWithTheStreamsClientsSecurityProperties() throws Exception {
    List<String> names = List.of("sasl.clips", "sasl.detections", "sasl.dlq");
    try (ClusterSetup setup = new ClusterSetup(streamsProperties(true), Duration.ofSeconds(20))) {
      setup.checkReachable();
      assertEquals(names, setup.createMissing(names, 4));
      assertEquals(List.of(), setup.createMissing(names, 4), "a second run finds them");
    }
    try (Admin check =
        Admin.create(new StreamsConfig(streamsProperties(true)).getAdminConfigs("check"))) {
      var described = check.describeTopics(names).allTopicNames().get();
      assertEquals(4, described.get("sasl.clips").partitions().size());
    }
  }

  @Test
  void shouldFailWithOneClearLineWithinTheTimeoutWithoutTheSecurityProperties() {
    long start = System.nanoTime();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> {
              try (ClusterSetup setup =
                  new ClusterSetup(streamsProperties(false), Duration.ofSeconds(5))) {
                setup.checkReachable();
              }
            });
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds < 10, "gave up after " + seconds + " s");
    assertTrue(
        e.getMessage().startsWith("cannot reach Kafka at " + kit.bootstrapServers()),
        e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }
}
