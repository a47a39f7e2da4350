package io.cmstream.detector.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service does with the cluster before its streams client starts: check that the brokers
 * answer, and create the missing topics. It connects with the streams client's own properties
 * ({@link StreamsConfig#getAdminConfigs}: security protocol, SASL, TLS, {@code admin.} overrides),
 * so whatever lets the streams client in lets it in too. Every call is bounded by {@code timeout}:
 * an unreachable, refusing or rejecting cluster is one clear {@link IllegalStateException}, not a
 * client retrying forever.
 */
public final class ClusterSetup implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSetup.class);

  private final Admin admin;
  private final String bootstrap;
  private final Duration timeout;

  /**
   * @param streamsProperties the streams client's properties (with the detector's defaults)
   * @param timeout bound of each step (connect, list, create)
   */
  public ClusterSetup(Properties streamsProperties, Duration timeout) {
    this.bootstrap = streamsProperties.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    this.timeout = timeout;
    Map<String, Object> config =
        new StreamsConfig(streamsProperties).getAdminConfigs("cm-detector-setup");
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 30_000));
    try {
      this.admin = Admin.create(config);
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "cannot connect to Kafka at " + bootstrap + ": " + message(e), e);
    }
  }

  /**
   * Waits until the cluster answers (a broker and its cluster id); throws if not within the
   * timeout.
   */
  public void checkReachable() {
    String id =
        await(
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs())).clusterId(),
            "reach");
    LOG.info("Kafka cluster {} at {}", id, bootstrap);
  }

  /** Creates the topics of {@code names} that do not exist yet; returns the ones it created. */
  public List<String> createMissing(List<String> names, int partitions) {
    Set<String> existing =
        await(
            admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMs())).names(),
            "list the topics of");
    List<NewTopic> missing = new ArrayList<>();
    for (String name : names) {
      if (!existing.contains(name)) {
        missing.add(new NewTopic(name, Optional.of(partitions), Optional.empty()));
      }
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    try {
      await(
          admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(timeoutMs())).all(),
          "create topics on");
    } catch (IllegalStateException e) {
      if (!(e.getCause()
          instanceof TopicExistsException)) { // another instance created them meanwhile
        throw e;
      }
    }
    List<String> created = missing.stream().map(NewTopic::name).toList();
    LOG.info("created topics {}", created);
    return created;
  }

  private int timeoutMs() {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
    try {
      // the admin's own timeout ends the call; the extra second only guards against a hang
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while trying to " + what + " Kafka at " + bootstrap, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new IllegalStateException(
            "cannot "
                + what
                + " Kafka at "
                + bootstrap
                + ": no broker answered within "
                + timeout.toSeconds()
                + " s (unreachable, refusing, or another protocol: see --config)",
            e.getCause());
      }
      throw new IllegalStateException(
          "cannot " + what + " Kafka at " + bootstrap + ": " + message(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot "
              + what
              + " Kafka at "
              + bootstrap
              + " within "
              + timeout.toSeconds()
              + " s (no answer)",
          e);
    }
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName()
        + (m == null || m.isBlank() ? "" : " (" + m.strip().replace('\n', ' ') + ")");
  }

  @Override
  public void close() {
    admin.close(Duration.ZERO);
  }
}
