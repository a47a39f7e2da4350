package io.cmstream.app;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running in this process,
 * with its data in a temporary folder that {@link #close()} removes. Used by {@code bin/cm demo}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final String CONTROLLER = "CONTROLLER";

  private final Path dataDir;
  private final int port;
  private final KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafkaBroker(Path dataDir, int port, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.port = port;
    this.server = server;
  }

  /**
   * Formats a fresh log folder and starts the broker.
   *
   * @param port the client port on 127.0.0.1, or 0 for a free one
   * @throws IllegalStateException with a clear message when the port is taken
   */
  public static EmbeddedKafkaBroker start(int port) {
    int clientPort = port == 0 ? freePort() : requireFree(port);
    int controllerPort = freePort();
    Path dir;
    try {
      dir = Files.createTempDirectory("cm-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the broker's temporary folder: " + e.getMessage(), e);
    }
    try {
      String logDir = dir.toAbsolutePath().toString();
      KafkaConfig config =
          new KafkaConfig(brokerProperties(logDir, clientPort, controllerPort), false);
      new Formatter()
          .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir))
          .setMetadataLogDirectory(logDir)
          .setControllerListenerName(CONTROLLER)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .run();
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, clientPort, server);
      broker.awaitReady();
      return broker;
    } catch (RuntimeException e) {
      TempFolders.delete(dir);
      throw e;
    } catch (Exception e) {
      TempFolders.delete(dir);
      throw new IllegalStateException(
          "embedded Kafka broker failed to start: " + e.getMessage(), e);
    }
  }

  private static Map<Object, Object> brokerProperties(
      String logDir, int clientPort, int controllerPort) {
    Map<Object, Object> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + clientPort
            + ","
            + CONTROLLER
            + "://127.0.0.1:"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir);
    p.put("metadata.log.dir", logDir);
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", "2097152");
    p.put("message.max.bytes", "10485760");
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  private void awaitReady() throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Admin admin = admin()) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (java.util.concurrent.TimeoutException e) {
          // not ready yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("embedded Kafka broker did not become ready within 60 s");
        }
        Thread.sleep(100);
      }
    }
  }

  /** The bootstrap servers of this broker, {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The broker's data folder (removed on close). */
  public Path dataDir() {
    return dataDir;
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return Admin.create(p);
  }

  /** Creates the topics (if absent) with the given partition count, replication factor 1. */
  public void createTopics(int partitions, String... topics) {
    try (Admin admin = admin()) {
      for (String t : topics) {
        try {
          admin
              .createTopics(
                  List.of(
                      new NewTopic(t, partitions, (short) 1)
                          .configs(Map.of("max.message.bytes", "10485760"))))
              .all()
              .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + t + ": " + e.getCause().getMessage(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out creating topics", e);
    }
  }

  /** Stops the broker and removes its data folder. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      TempFolders.delete(dataDir);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  private static int requireFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return port;
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " on 127.0.0.1 is already in use; choose another with --kafka-port or 0 for a free one");
    }
  }
}
