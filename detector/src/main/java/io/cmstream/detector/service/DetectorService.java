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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final InferencePool pool;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final HealthServer http;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * @param config     the topology's configuration
   * @param properties Kafka Streams properties (bootstrap servers, application id, threads, ...)
   * @param httpPort   port of the health/metrics endpoint (0 = any free port, -1 = none)
   */
  public DetectorService(DetectorConfig config, Properties properties, int httpPort) throws IOException {
    Properties props = withDefaults(properties);
    pool = new InferencePool(config.model().inference());
    DetectorMetrics metrics = new DetectorMetrics(registry);
    new JvmMemoryMetrics().bindTo(registry);
    streams = new KafkaStreams(DetectorTopology.build(config, pool, metrics), props);
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    streams.setStateListener((now, before) -> {
      LOG.info("streams state {} -> {}", before, now);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        stopped.countDown();
      }
    });
    http = httpPort < 0 ? null : new HealthServer(httpPort, streams::state, registry);
  }

  /** Kafka Streams defaults of the detector; explicit properties win. */
  public static Properties withDefaults(Properties given) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cm-detector");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(COMMIT_INTERVAL_MS));
    // clips can be large (T JPEG frames): let the producer send them
    props.put(StreamsConfig.producerPrefix("max.request.size"), String.valueOf(16 * 1024 * 1024));
    props.putAll(given);
    return props;
  }

  /** Creates the topics that do not exist yet. */
  public static void createTopics(Properties props, List<String> names, int partitions) {
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, props.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
    try (Admin client = Admin.create(admin)) {
      Set<String> existing = client.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (String name : names) {
        if (!existing.contains(name)) {
          missing.add(new NewTopic(name, java.util.Optional.of(partitions), java.util.Optional.empty()));
        }
      }
      if (!missing.isEmpty()) {
        client.createTopics(missing).all().get();
        LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
    }
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
