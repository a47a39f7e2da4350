package io.cmstream.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks the Kubernetes manifests and the compose file without a cluster or a Docker engine: every
 * document parses, uses a kind and API version that exist in Kubernetes 1.30 / Strimzi 0.4x /
 * Prometheus Operator, and agrees with the service's defaults.
 */
class DeploymentManifestsTest {
  /**
   * Kinds and the API versions that serve them (Kubernetes 1.30, Strimzi 0.40-0.48, Prometheus
   * Operator).
   */
  static final Map<String, Set<String>> KNOWN =
      Map.ofEntries(
          Map.entry("Kafka", Set.of("kafka.strimzi.io/v1beta2")),
          Map.entry("KafkaNodePool", Set.of("kafka.strimzi.io/v1beta2")),
          Map.entry("KafkaTopic", Set.of("kafka.strimzi.io/v1beta2")),
          Map.entry("StatefulSet", Set.of("apps/v1")),
          Map.entry("Deployment", Set.of("apps/v1")),
          Map.entry("Service", Set.of("v1")),
          Map.entry("ConfigMap", Set.of("v1")),
          Map.entry("PersistentVolumeClaim", Set.of("v1")),
          Map.entry("ServiceMonitor", Set.of("monitoring.coreos.com/v1")),
          Map.entry("Kustomization", Set.of("kustomize.config.k8s.io/v1beta1")));

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static List<JsonNode> documents(Path file) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser parser = new YAMLFactory().createParser(file.toFile());
        MappingIterator<JsonNode> it = yaml.readValues(parser, JsonNode.class)) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isEmpty()) {
          docs.add(n);
        }
      }
    }
    return docs;
  }

  static List<Path> manifests() throws IOException {
    try (Stream<Path> s = Files.walk(ROOT.resolve("k8s"))) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  static List<JsonNode> baseDocs(String kind) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (Path p : manifests()) {
      for (JsonNode d : documents(p)) {
        if (kind.equals(d.path("kind").asText())) {
          out.add(d);
        }
      }
    }
    return out;
  }

  @Test
  void shouldUseOnlyKindsAndApiVersionsThatExist() throws IOException {
    List<Path> files = manifests();
    assertFalse(files.isEmpty());
    int count = 0;
    for (Path p : files) {
      for (JsonNode d : documents(p)) {
        String kind = d.path("kind").asText();
        String api = d.path("apiVersion").asText();
        Set<String> ok = KNOWN.get(kind);
        if (ok == null || !ok.contains(api)) {
          fail(ROOT.relativize(p) + ": unknown kind/apiVersion " + kind + " " + api);
        }
        if (!"Kustomization".equals(kind)) {
          assertFalse(
              d.path("metadata").path("name").asText().isEmpty(),
              p + ": " + kind + " without a name");
        }
        count++;
      }
    }
    assertTrue(count >= 12, "expected the whole set of manifests, parsed " + count);
  }

  @Test
  void shouldListEveryBaseFileInTheKustomization() throws IOException {
    JsonNode k = documents(ROOT.resolve("k8s/base/kustomization.yaml")).get(0);
    List<String> listed = new ArrayList<>();
    k.path("resources").forEach(r -> listed.add(r.asText()));
    try (Stream<Path> s = Files.list(ROOT.resolve("k8s/base"))) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .forEach(
              n -> assertTrue(listed.contains(n), n + " is not in k8s/base/kustomization.yaml"));
    }
    for (String overlay : List.of("cpu", "gpu")) {
      JsonNode o =
          documents(ROOT.resolve("k8s/overlays/" + overlay + "/kustomization.yaml")).get(0);
      assertEquals("../../base", o.path("resources").get(0).asText());
    }
    JsonNode gpu = documents(ROOT.resolve("k8s/overlays/gpu/kustomization.yaml")).get(0);
    String patch = gpu.path("patches").get(0).path("patch").asText();
    assertTrue(
        patch.contains("nvidia.com~1gpu") && patch.contains("--device=cuda"),
        "gpu overlay requests a GPU and CUDA");
  }

  @Test
  void shouldKeepDetectorStateOnAPersistentVolumeWithHealthProbes() throws IOException {
    JsonNode sts = baseDocs("StatefulSet").get(0);
    JsonNode c = sts.path("spec").path("template").path("spec").path("containers").get(0);
    String stateMount = null;
    for (JsonNode m : c.path("volumeMounts")) {
      if ("state".equals(m.path("name").asText())) {
        stateMount = m.path("mountPath").asText();
      }
    }
    assertEquals(
        "state",
        sts.path("spec")
            .path("volumeClaimTemplates")
            .get(0)
            .path("metadata")
            .path("name")
            .asText());
    List<String> args = new ArrayList<>();
    c.path("args").forEach(a -> args.add(a.asText()));
    assertTrue(
        args.contains("--state-dir=" + stateMount), "state dir on the persistent volume: " + args);
    assertTrue(
        args.stream().anyMatch(a -> a.startsWith("--application-server=")),
        "application.server per pod");
    assertEquals("/health", c.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals("/health", c.path("livenessProbe").path("httpGet").path("path").asText());
    assertFalse(c.path("resources").path("requests").isMissingNode());
  }

  @Test
  void shouldAgreeWithTheDetectorsDefaults() throws IOException {
    picocli.CommandLine run =
        new picocli.CommandLine(new io.cmstream.detector.cli.DetectorCli())
            .getSubcommands()
            .get("run");
    String httpPort =
        String.valueOf((Object) run.getCommandSpec().findOption("--http-port").getValue());
    JsonNode sts = baseDocs("StatefulSet").get(0);
    JsonNode c = sts.path("spec").path("template").path("spec").path("containers").get(0);
    assertEquals(
        httpPort,
        c.path("ports").get(0).path("containerPort").asText(),
        "container port = the detector's default HTTP port");
    List<String> args = new ArrayList<>();
    c.path("args").forEach(a -> args.add(a.asText()));
    for (String a : args) {
      if (a.startsWith("--")) {
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        assertTrue(
            run.getCommandSpec().findOption(name) != null, "detector run has no option " + name);
      }
    }
    assertTrue(args.contains("--http-port=" + httpPort));
    String bundle =
        args.stream().filter(a -> a.startsWith("--bundle=")).findFirst().orElseThrow().substring(9);
    boolean mounted = false;
    for (JsonNode m : c.path("volumeMounts")) {
      mounted |= bundle.startsWith(m.path("mountPath").asText());
    }
    assertTrue(mounted, "the bundle path " + bundle + " is on a mounted volume");
    JsonNode compose =
        new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    JsonNode detector = compose.path("services").path("detector");
    List<String> cmd = new ArrayList<>();
    detector.path("command").forEach(a -> cmd.add(a.asText()));
    assertEquals(httpPort, cmd.get(cmd.indexOf("--http-port") + 1));
    assertTrue(detector.path("ports").get(0).asText().endsWith(":" + httpPort));
    for (String a : cmd) {
      if (a.startsWith("--")) {
        assertTrue(
            run.getCommandSpec().findOption(a) != null, "compose: detector run has no option " + a);
      }
    }
  }

  @Test
  void shouldStateTheFailoverSettings() throws IOException {
    JsonNode sts = baseDocs("StatefulSet").get(0);
    JsonNode c = sts.path("spec").path("template").path("spec").path("containers").get(0);
    List<String> args = new ArrayList<>();
    c.path("args").forEach(a -> args.add(a.asText()));
    assertTrue(
        args.contains("--instance-id=$(POD_NAME)"), "static membership by pod name: " + args);
    assertTrue(args.contains("--http-host=0.0.0.0"), "probes reach the pod's interface: " + args);
    boolean podName = false;
    for (JsonNode e : c.path("env")) {
      podName |=
          "POD_NAME".equals(e.path("name").asText())
              && "metadata.name"
                  .equals(e.path("valueFrom").path("fieldRef").path("fieldPath").asText());
    }
    assertTrue(podName, "POD_NAME comes from the pod's name");
    java.util.Properties streams = new java.util.Properties();
    for (JsonNode cm : baseDocs("ConfigMap")) {
      if (cm.path("data").has("streams.properties")) {
        streams.load(new java.io.StringReader(cm.path("data").path("streams.properties").asText()));
      }
    }
    int session = io.cmstream.detector.service.DetectorService.SESSION_TIMEOUT_MS;
    assertEquals(
        String.valueOf(session),
        streams.getProperty("session.timeout.ms"),
        "the detector's default, stated");
    assertTrue(
        Integer.parseInt(streams.getProperty("heartbeat.interval.ms")) * 3 <= session,
        "heartbeat <= session / 3");
    assertTrue(
        Integer.parseInt(streams.getProperty("num.standby.replicas")) >= 1,
        "a warm standby per task");
    JsonNode kafka = baseDocs("Kafka").get(0).path("spec").path("kafka").path("config");
    assertEquals(
        1000,
        kafka.path("transaction.abort.timed.out.transaction.cleanup.interval.ms").asInt(),
        "the brokers abort a dead instance's transaction promptly");

    JsonNode compose =
        new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    List<String> cmd = new ArrayList<>();
    compose.path("services").path("detector").path("command").forEach(a -> cmd.add(a.asText()));
    assertFalse(cmd.get(cmd.indexOf("--instance-id") + 1).isBlank());
    assertEquals("0.0.0.0", cmd.get(cmd.indexOf("--http-host") + 1));
    assertEquals(
        "1000",
        compose
            .path("services")
            .path("kafka")
            .path("environment")
            .path("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS")
            .asText());
  }

  @Test
  void shouldStartTheStreamerWithOptionsItHas() throws IOException {
    picocli.CommandLine publish =
        new picocli.CommandLine(new io.cmstream.streamer.cli.StreamerCli())
            .getSubcommands()
            .get("publish");
    JsonNode compose =
        new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    List<String> cmd = new ArrayList<>();
    compose.path("services").path("streamer").path("command").forEach(a -> cmd.add(a.asText()));
    assertEquals(List.of("streamer", "publish"), cmd.subList(0, 2));
    for (String a : cmd) {
      if (a.startsWith("--")) {
        assertTrue(
            publish.getCommandSpec().findOption(a) != null,
            "compose: streamer publish has no option " + a);
      }
    }
    for (JsonNode d : baseDocs("Deployment")) {
      for (JsonNode arg :
          d.path("spec").path("template").path("spec").path("containers").get(0).path("args")) {
        String a = arg.asText();
        if (a.startsWith("--")) {
          String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
          assertTrue(
              publish.getCommandSpec().findOption(name) != null,
              "k8s: streamer publish has no option " + name);
        }
      }
    }
    assertTrue(
        Files.isRegularFile(ROOT.resolve("samples/video/input.mp4")),
        "the compose streamer's default input exists");
  }

  @Test
  void shouldCreateTheServiceTopicsOnKafkaAndInCompose() throws IOException {
    List<String> topics = new ArrayList<>();
    for (JsonNode t : baseDocs("KafkaTopic")) {
      topics.add(t.path("metadata").path("name").asText());
      assertEquals(
          "cm-kafka", t.path("metadata").path("labels").path("strimzi.io/cluster").asText());
    }
    assertTrue(
        topics.containsAll(io.cmstream.schemas.Topics.defaults().names()), topics.toString());
    JsonNode compose =
        new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    String creator = compose.path("services").path("topics").path("command").get(0).asText();
    for (String t : List.of("cm.clips", "cm.detections", "cm.clips.dlq")) {
      assertTrue(creator.contains(t), "compose creates " + t);
    }
    assertTrue(
        compose.path("services").has("detector") && compose.path("services").has("streamer"));
  }
}
