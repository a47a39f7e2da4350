package io.cmstream.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running in this process, on
 * 127.0.0.1, with its data in a temporary folder that {@link #close()} removes. The one recipe for
 * {@code bin/cm demo}, {@code bin/cm bench-live} and every integration test that needs a broker.
 *
 * <p>It runs {@link KafkaRaftServer}, what {@code kafka-server-start.sh} runs for a KRaft node, on
 * a freshly formatted log folder (production metadata version and features). Kafka's {@code
 * KafkaClusterTestKit} was the other candidate; it binds its client listener on every interface to
 * a port it chooses itself (no {@code --kafka-port}), enables unstable features and APIs, and
 * brings JUnit onto the demo's class path.
 *
 * <p>The settings are those of a single-node cluster, plus what {@code docker-compose.yml} and
 * {@code k8s/base/kafka.yaml} give the brokers: a timed-out transaction is aborted within a second
 * (broker default: checked every 10 s) and a group's first join is not held back 3 s.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  /** The largest record the broker and its topics take (the demo's clips are JPEG frames). */
  public static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

  /** The SASL/PLAIN super user of a broker started with {@link #startSaslPlain}. */
  public static final String SASL_ADMIN_USER = "plain-admin";

  /** The password of {@link #SASL_ADMIN_USER}. */
  public static final String SASL_ADMIN_PASSWORD = "plain-admin-secret";

  private static final String CLIENT = "CLIENT";
  private static final String CONTROLLER = "CONTROLLER";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final int port;
  private final boolean sasl;
  private final KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafkaBroker(Path dataDir, int port, boolean sasl, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.port = port;
    this.sasl = sasl;
    this.server = server;
  }

  /**
   * Formats a fresh log folder and starts a broker that speaks PLAINTEXT.
   *
   * @param port the client port on 127.0.0.1, or 0 for a free one
   * @throws IllegalStateException with a clear message when the port is taken
   */
  public static EmbeddedKafkaBroker start(int port) {
    return start(port, false);
  }

  /**
   * A broker whose listeners (client and controller) only speak SASL_PLAINTEXT with the PLAIN
   * mechanism, ACLs on (StandardAuthorizer, nobody allowed without an ACL) and one super user,
   * {@link #SASL_ADMIN_USER}; {@link #clientProperties()} logs in as that user.
   */
  public static EmbeddedKafkaBroker startSaslPlain(int port) {
    return start(port, true);
  }

  private static EmbeddedKafkaBroker start(int port, boolean sasl) {
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
          new KafkaConfig(brokerProperties(logDir, clientPort, controllerPort, sasl), false);
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
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, clientPort, sasl, server);
      try {
        broker.awaitReady();
      } catch (RuntimeException | InterruptedException | ExecutionException e) {
        broker.close();
        throw e;
      }
      return broker;
    } catch (RuntimeException e) {
      TempFolders.delete(dir);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      TempFolders.delete(dir);
      throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
    } catch (Exception e) {
      TempFolders.delete(dir);
      throw new IllegalStateException(
          "embedded Kafka broker failed to start: " + e.getMessage(), e);
    }
  }

  private static Map<Object, Object> brokerProperties(
      String logDir, int clientPort, int controllerPort, boolean sasl) {
    Map<Object, Object> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        CLIENT
            + "://127.0.0.1:"
            + clientPort
            + ","
            + CONTROLLER
            + "://127.0.0.1:"
            + controllerPort);
    p.put("advertised.listeners", CLIENT + "://127.0.0.1:" + clientPort);
    String protocol = sasl ? "SASL_PLAINTEXT" : "PLAINTEXT";
    p.put(
        "listener.security.protocol.map",
        CLIENT + ":" + protocol + "," + CONTROLLER + ":" + protocol);
    p.put("controller.listener.names", CONTROLLER);
    p.put("inter.broker.listener.name", CLIENT);
    if (sasl) {
      p.put("sasl.enabled.mechanisms", "PLAIN");
      p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
      p.put("sasl.mechanism.controller.protocol", "PLAIN");
      // the broker's side (user_NAME = password) and its own login to itself and the controller
      String jaas = plainLogin() + " user_" + SASL_ADMIN_USER + "=\"" + SASL_ADMIN_PASSWORD + "\";";
      p.put("listener.name.client.plain.sasl.jaas.config", jaas);
      p.put("listener.name.controller.plain.sasl.jaas.config", jaas);
      p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      p.put("allow.everyone.if.no.acl.found", "false");
      p.put("super.users", "User:" + SASL_ADMIN_USER);
    }
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
    // abort a dead producer's open transaction within a second of its timeout (broker default:
    // checked every 10 s), as docker-compose.yml and k8s/base/kafka.yaml set it
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    // a group's first join is not held back 3 s for more members (as in docker-compose.yml)
    p.put("group.initial.rebalance.delay.ms", "0");
    // clients may ask for short session timeouts (tests of failover)
    p.put("group.min.session.timeout.ms", "1000");
    // the machine is often overloaded: do not fence the only broker for a late heartbeat (that
    // moves partition leadership and fails producers)
    p.put("broker.session.timeout.ms", "60000");
    p.put("log.cleaner.dedupe.buffer.size", "2097152");
    p.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  /** The PLAIN login module logging in as {@link #SASL_ADMIN_USER}, without the final ';'. */
  private static String plainLogin() {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + SASL_ADMIN_USER
        + "\" password=\""
        + SASL_ADMIN_PASSWORD
        + "\"";
  }

  private void awaitReady() throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (TimeoutException e) {
          // not ready yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "embedded Kafka broker did not become ready within "
                  + READY_TIMEOUT.toSeconds()
                  + " s");
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

  /**
   * What a client of this broker needs: the bootstrap servers and, for a SASL broker, the security
   * properties of {@link #SASL_ADMIN_USER}.
   */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    if (sasl) {
      p.put("security.protocol", "SASL_PLAINTEXT");
      p.put("sasl.mechanism", "PLAIN");
      p.put("sasl.jaas.config", plainLogin() + ";");
    }
    return p;
  }

  /**
   * A {@code read_committed} consumer of a topic from its beginning, in a group of its own, with
   * byte keys and values; the caller closes it.
   */
  public KafkaConsumer<byte[], byte[]> committedReader(String topic) {
    Properties p = clientProperties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  /** The private topic of {@link #warmUpTransactions()}; no client of the broker reads it. */
  public static final String WARM_UP_TOPIC = "cm-embedded.warm-up";

  /**
   * Runs one exactly-once round trip on a private topic ({@link #WARM_UP_TOPIC}): a transactional
   * producer commits one record with a consumer offset (as a Kafka Streams commit does) and a
   * {@code read_committed} consumer reads it. A freshly started broker otherwise pays its
   * transaction path's first use (coordinator load, the channel that writes transaction markers,
   * the first fetch past a marker) inside the first detection of a stream; a long-running broker
   * has paid it long ago. Writes nothing to any other topic.
   */
  public void warmUpTransactions() {
    createTopics(1, WARM_UP_TOPIC);
    Properties p = clientProperties();
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cm-embedded-warm-up-" + UUID.randomUUID());
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> reader = committedReader(WARM_UP_TOPIC)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(WARM_UP_TOPIC, new byte[] {1}));
      // what a Kafka Streams commit does too: the input offsets go into the transaction
      producer.sendOffsetsToTransaction(
          Map.of(new TopicPartition(WARM_UP_TOPIC, 0), new OffsetAndMetadata(1)),
          new ConsumerGroupMetadata("cm-embedded-warm-up"));
      producer.commitTransaction();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (reader.poll(Duration.ofMillis(50)).isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the broker's transaction warm-up record was not readable within 30 s");
        }
      }
    }
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(clientProperties());
  }

  /**
   * Creates the topics (those that exist are left as they are) with the given partition count,
   * replication factor 1 and a {@link #MAX_MESSAGE_BYTES} record limit.
   */
  public void createTopics(int partitions, String... topics) {
    Map<String, Integer> counts = new HashMap<>();
    for (String t : topics) {
      counts.put(t, partitions);
    }
    createTopics(counts, Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)));
  }

  /**
   * Creates the topics (name -> partitions; those that exist are left as they are) with replication
   * factor 1 and the given topic configs, and waits until every partition has a leader: producing
   * earlier fails while leadership settles.
   */
  public void createTopics(Map<String, Integer> partitions, Map<String, String> configs) {
    try (Admin admin = admin()) {
      for (Map.Entry<String, Integer> t : partitions.entrySet()) {
        try {
          admin
              .createTopics(
                  List.of(new NewTopic(t.getKey(), t.getValue(), (short) 1).configs(configs)))
              .all()
              .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + t.getKey() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
      awaitLeaders(admin, new ArrayList<>(partitions.keySet()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topics " + partitions.keySet(), e);
    }
  }

  private static void awaitLeaders(Admin admin, List<String> topics)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      boolean ready;
      try {
        ready =
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                .allMatch(
                    d ->
                        d.partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException(
              "cannot describe topics " + topics + ": " + e.getCause().getMessage(), e);
        }
        ready = false; // created, but the broker's metadata has not caught up yet
      }
      if (ready) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "topics " + topics + " have no leaders after " + READY_TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(100);
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
