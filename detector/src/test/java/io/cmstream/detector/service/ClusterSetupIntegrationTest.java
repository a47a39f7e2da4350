package io.cmstream.detector.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.kafka.EmbeddedKafkaBroker;
import io.cmstream.kafka.EmbeddedKafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Topic creation and the reachability check on a real KRaft broker that only speaks SASL (PLAIN,
 * ACLs on, one super user: {@link EmbeddedKafkaBroker#startSaslPlain}): they connect with the
 * streams client's properties, so the same {@code --config} that lets the service in lets topic
 * creation in; without it, one clear error within the timeout.
 */
class ClusterSetupIntegrationTest {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.saslPlain();

  /** What a --config file for this cluster holds, on top of what the CLI sets. */
  private static Properties streamsProperties(boolean withCredentials) {
    // with credentials: the broker's client properties, security protocol and login included
    Properties p = withCredentials ? KAFKA.broker().clientProperties() : new Properties();
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "setup-it");
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
        e.getMessage().startsWith("cannot reach Kafka at " + KAFKA.bootstrapServers()),
        e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }
}
