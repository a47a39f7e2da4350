package io.cmstream.detector.cli;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.service.DetectorService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the detector service: cm.clips -> encoder -> memory -> context head -> cm.detections.")
final class RunCommand implements Callable<Integer> {

  @Mixin ModelOptions model;

  @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT,...")
  String bootstrap;

  @Option(names = "--config", paramLabel = "FILE", description = "Kafka Streams properties (override the defaults)")
  Path config;

  @Option(names = "--application-id", description = "default: ${DEFAULT-VALUE}")
  String applicationId = "cm-detector";

  @Option(names = "--threads", description = "stream threads, each with its own ONNX sessions (default: ${DEFAULT-VALUE})")
  int threads = 1;

  @Option(names = "--application-server", paramLabel = "HOST:PORT",
      description = "this instance's endpoint for Kafka Streams metadata (application.server; one per pod)")
  String applicationServer;

  @Option(names = "--state-dir", description = "RocksDB state folder (default: Kafka Streams' default)")
  Path stateDir;

  @Option(names = "--http-port", description = "health (/health) and Prometheus (/metrics) port, -1 = off (default: ${DEFAULT-VALUE})")
  int httpPort = 8080;

  @Option(names = "--create-topics", negatable = true, description = "create missing topics (default: ${DEFAULT-VALUE})")
  boolean createTopics = true;

  @Option(names = "--partitions", description = "partitions of created topics (default: ${DEFAULT-VALUE})")
  int partitions = 3;

  @Override
  public Integer call() throws IOException, InterruptedException {
    DetectorConfig cfg = model.config();
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
    if (createTopics) {
      DetectorService.createTopics(props, cfg.topics().names(), partitions);
    }
    DetectorService service = new DetectorService(cfg, props, httpPort);
    Thread hook = new Thread(service::close, "detector-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    service.start();
    System.err.printf("detector: model %s, window back %d ahead %d grace %d, %s -> %s, http :%d%n",
        cfg.model().modelId(), cfg.window().back(), cfg.window().ahead(), cfg.window().grace(),
        cfg.topics().clips().name(), cfg.topics().detections().name(), service.httpPort());
    service.awaitStop();
    return service.state().hasCompletedShutdown() && service.state() != org.apache.kafka.streams.KafkaStreams.State.ERROR ? 0 : 1;
  }
}
