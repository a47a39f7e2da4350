package io.cmstream.detector.cli;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.ThreadBudget;
import io.cmstream.detector.service.ClusterSetup;
import io.cmstream.detector.service.DetectorService;
import io.cmstream.detector.service.HealthServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Runs the detector service: cm.clips -> encoder -> memory -> context head -> cm.detections.")
final class RunCommand implements Callable<Integer> {

  @Mixin ModelOptions model;

  @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT,...")
  String bootstrap;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Kafka Streams properties (override the defaults)")
  Path config;

  @Option(names = "--application-id", description = "default: ${DEFAULT-VALUE}")
  String applicationId = "cm-detector";

  @Option(
      names = "--threads",
      description = "stream threads, each with its own ONNX sessions (default: ${DEFAULT-VALUE})")
  int threads = 1;

  @Option(
      names = "--application-server",
      paramLabel = "HOST:PORT",
      description =
          "this instance's endpoint for Kafka Streams metadata (application.server; one per pod)")
  String applicationServer;

  @Option(
      names = "--state-dir",
      description = "RocksDB state folder (default: Kafka Streams' default)")
  Path stateDir;

  @Option(
      names = "--http-port",
      description =
          "health (/health) and Prometheus (/metrics) port, -1 = off (default: ${DEFAULT-VALUE})")
  int httpPort = 8080;

  @Option(
      names = "--http-host",
      paramLabel = "HOST",
      description =
          "interface of the HTTP endpoint (default: ${DEFAULT-VALUE}, every interface: probes and scrapes "
              + "reach a container from outside its loopback; 127.0.0.1 keeps it local)")
  String httpHost = HealthServer.DEFAULT_HOST;

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description =
          "static group membership (group.instance.id; thread N joins as ID-N): a restarted instance with "
              + "the same id takes its tasks back at once. Unique per instance (default: $HOSTNAME when set, the pod "
              + "name in the StatefulSet, unless --config sets group.instance.id; else dynamic membership)")
  String instanceId;

  @Option(
      names = "--connect-timeout",
      paramLabel = "SECONDS",
      description =
          "give up (exit 1) when the cluster does not answer within this time at start (default: ${DEFAULT-VALUE})")
  int connectTimeout = 10;

  @Option(
      names = "--create-topics",
      negatable = true,
      description = "create missing topics (default: ${DEFAULT-VALUE})")
  boolean createTopics = true;

  @Option(
      names = "--partitions",
      description = "partitions of created topics (default: ${DEFAULT-VALUE})")
  int partitions = 3;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
    if (applicationServer != null) {
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    }
    if (stateDir != null) {
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    }
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new IllegalArgumentException("--config " + config + " does not exist");
      }
      try (InputStream in = Files.newInputStream(config)) {
        props.load(in);
      }
    }
    props = DetectorService.withDefaults(props);
    boolean configured =
        props.stringPropertyNames().stream().anyMatch(k -> k.endsWith("group.instance.id"));
    String instance =
        instanceId != null ? instanceId : configured ? null : System.getenv("HOSTNAME");
    if (instance != null) {
      props = DetectorService.withInstanceId(props, instance);
    }
    if (connectTimeout <= 0) {
      throw new IllegalArgumentException("--connect-timeout must be > 0 seconds");
    }
    // the cluster first: a wrong address fails before the model loads
    try (ClusterSetup cluster = new ClusterSetup(props, Duration.ofSeconds(connectTimeout))) {
      cluster.checkReachable();
      if (createTopics) {
        cluster.createMissing(model.topics().names(), partitions);
      }
    }
    ThreadBudget budget =
        ThreadBudget.here(
            Integer.parseInt(
                props.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1").strip()));
    int intraOp = model.ortThreads;
    if (budget.oversubscribedWith(intraOp)) {
      System.err.printf(
          "run: warning: %d stream threads x %d ONNX Runtime threads on %d cores%n",
          budget.streamThreads(), intraOp, budget.cores());
    }
    DetectorConfig cfg = model.config();
    DetectorService service = new DetectorService(cfg, props, httpHost, httpPort);
    Thread hook = new Thread(service::close, "detector-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    service.start();
    System.err.printf(
        "detector: model %s, window back %d ahead %d grace %d, %d stream thread(s) x %d ONNX Runtime"
            + " thread(s) on %d cores, batch %d, %s -> %s, http %s:%d, instance %s%n",
        cfg.model().modelId(),
        cfg.window().back(),
        cfg.window().ahead(),
        cfg.window().grace(),
        budget.streamThreads(),
        intraOp,
        budget.cores(),
        cfg.batch().size(),
        cfg.topics().clips().name(),
        cfg.topics().detections().name(),
        httpHost,
        service.httpPort(),
        instance != null ? instance : configured ? "(from --config)" : "(dynamic membership)");
    service.awaitStop();
    return service.state().hasCompletedShutdown()
            && service.state() != org.apache.kafka.streams.KafkaStreams.State.ERROR
        ? 0
        : 1;
  }
}
