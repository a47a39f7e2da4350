package io.cmstream.app.bench;

import io.cmstream.runtime.Device;
import io.cmstream.runtime.ModelBundle;
import io.cmstream.runtime.NodeProviders;
import io.cmstream.runtime.OrtSessionFactory;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.schemas.manifest.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code cm gpu-check}: on a machine with an accelerator, which execution provider runs each node
 * of the encoder, then the live benchmark on that device with batching off and on. Where the device
 * cannot be used it ends with one line (exit 1) before anything runs.
 */
@Command(
    name = "gpu-check",
    mixinStandardHelpOptions = true,
    description =
        "Prints the execution provider of every encoder node (one profiled run), then runs bench-live "
            + "on the device for 1, 4 and 16 streams with batch 1 and --batch.")
public final class GpuCheckCommand implements Callable<Integer> {

  @Mixin LiveRunOptions run = new LiveRunOptions("cuda", 8, Path.of("target/gpu-check"));

  @Override
  public Integer call() throws Exception {
    OrtSessionFactory sessions =
        new OrtSessionFactory(SessionSettings.on(Device.parse(run.device)));
    ModelManifest manifest;
    try (ModelBundle opened = ModelBundle.open(run.bundle, sessions)) {
      manifest = opened.manifest();
      Map<String, String> nodes =
          NodeProviders.ofEncoder(
              sessions,
              Files.readAllBytes(run.bundle.resolve(ModelManifest.ENCODER)),
              opened.clipSpec());
      Map<String, Integer> counts = new TreeMap<>();
      nodes.values().forEach(p -> counts.merge(p, 1, Integer::sum));
      System.out.printf(
          "encoder.onnx of %s on %s: %d nodes, %s%n",
          manifest.modelId(), sessions.provider(), nodes.size(), counts);
      nodes.forEach((node, provider) -> System.out.printf("  %-60s %s%n", node, provider));
    }
    for (int b : List.of(1, run.batch)) {
      LiveBenchCommand live = new LiveBenchCommand();
      live.run = run.withBatch(b, run.out.resolve("batch-" + b));
      System.out.printf("%nbench-live --device %s --batch %d%n", run.device, b);
      live.call();
    }
    return 0;
  }
}
