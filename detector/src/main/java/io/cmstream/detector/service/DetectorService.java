package io.cmstream.detector.service;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.InferencePool;
import io.cmstream.detector.topology.DetectorTopology;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running detector: the topology on a Kafka Streams client (exactly_once_v2 unless the
 * properties say otherwise), the HTTP health/metrics endpoint, and a graceful shutdown that
 * commits, closes the client, the sessions and the endpoint.
 */
public final class DetectorService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DetectorService.class);

  /**
   * Under exactly_once_v2 a read_committed reader sees a detection only once its transaction
   * commits, so the commit interval is latency: half of it on average. An interval with nothing
   * processed commits nothing, so a short one costs only when clips flow (measured in
   * detector/README.md). Kafka Streams' own default is 100 ms.
   */
  public static final long COMMIT_INTERVAL_MS = 50;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final InferencePool pool;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final HealthServer http;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * @param config the topology's configuration
   * @param properties Kafka Streams properties (bootstrap servers, application id, threads, ...)
   * @param httpPort port of the health/metrics endpoint on every interface (0 = any free port, -1 =
   *     none)
   */
  public DetectorService(DetectorConfig config, Properties properties, int httpPort)
      throws IOException {
    this(config, properties, HealthServer.DEFAULT_HOST, httpPort);
  }

  /**
   * @param httpHost interface the health/metrics endpoint listens on
   * @param httpPort its port (0 = any free port, -1 = none)
   */
  public DetectorService(
      DetectorConfig config, Properties properties, String httpHost, int httpPort)
      throws IOException {
    Properties props =
        DeadLetterSettings.apply(withDefaults(properties), config.topics().clipsDlq().name());
    pool = new InferencePool(config.model().inference());
    DetectorMetrics metrics = new DetectorMetrics(registry);
    new JvmMemoryMetrics().bindTo(registry);
    streams = new KafkaStreams(DetectorTopology.build(config, pool, metrics), props);
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    streams.setStateListener(
        (now, before) -> {
          LOG.info("streams state {} -> {}", before, now);
          if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
            stopped.countDown();
          }
        });
    http = httpPort < 0 ? null : new HealthServer(httpHost, httpPort, streams::state, registry);
  }

  /**
   * First retry backoff of the detector's producer (ms; Kafka's default is 100, doubling up to
   * {@code retry.backoff.max.ms}, 1 s). A producer's first transactional offset commit must first
   * find the group's coordinator, and the commit request then waits one retry backoff before it is
   * sent (the producer's DEBUG log: FindCoordinator, then TxnOffsetCommit 100 ms later), so the
   * first detection of the service waited the whole default (docs/experiments.md, "First
   * detection"); retries after errors still back off exponentially from here.
   */
  public static final int PRODUCER_RETRY_BACKOFF_MS = 10;

  /** Session timeout of the detector's consumers (ms): how long a dead member holds its tasks. */
  public static final int SESSION_TIMEOUT_MS = 6000;

  /**
   * Kafka Streams defaults of the detector; explicit properties win. Failover: a member that stops
   * heartbeating is out of the group after {@link #SESSION_TIMEOUT_MS} (the brokers' default
   * minimum; Kafka's default is 45 s), and one standby replica per task keeps its stores warm on
   * another instance, so the survivor does not restore from the changelog. With static membership
   * ({@link #withInstanceId}) a restarted instance takes its tasks back without a rebalance.
   */
  public static Properties withDefaults(Properties given) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cm-detector");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(COMMIT_INTERVAL_MS));
    // unprefixed, so that a given consumer.* or plain setting overrides them
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(SESSION_TIMEOUT_MS));
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(SESSION_TIMEOUT_MS / 4));
    // clips can be large (T JPEG frames): let the producer send them
    props.put(StreamsConfig.producerPrefix("max.request.size"), String.valueOf(16 * 1024 * 1024));
    props.put(
        StreamsConfig.producerPrefix("retry.backoff.ms"),
        String.valueOf(PRODUCER_RETRY_BACKOFF_MS));
    props.putAll(given);
    return props;
  }

  /**
   * Static group membership: the main consumer of stream thread N joins as {@code instanceId-N}
   * (Kafka Streams adds the suffix), so a restarted instance with the same id gets its tasks back
   * at once instead of after the dead member's session timeout.
   */
  public static Properties withInstanceId(Properties props, String instanceId) {
    if (instanceId == null || instanceId.isBlank()) {
      throw new IllegalArgumentException("instance id is empty");
    }
    if (!instanceId.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new IllegalArgumentException(
          "instance id '" + instanceId + "' may only have letters, digits, '.', '_' and '-'");
    }
    Properties out = new Properties();
    out.putAll(props);
    out.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
    return out;
  }

  public void start() {
    streams.start();
  }

  /** Blocks until the streams client stops (shutdown or a fatal error). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Graceful shutdown: finishes the current records, commits, closes stores and sessions. */
  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    streamsMetrics.close();
    pool.close();
    if (http != null) {
      http.close();
    }
    stopped.countDown();
  }
}
