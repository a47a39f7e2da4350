package io.cmstream.trainer.cli;

import ai.djl.ndarray.NDManager;
import io.cmstream.trainer.importer.ModelImporter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trainer import}: a model zoo's Slow-only checkpoint -> a trainer checkpoint ({@code
 * RUN_DIR/last}).
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import a pretrained Slow-only ResNet-50/101 checkpoint (PySlowFast .pyth / Caffe2 .pkl, "
            + "MMAction2 .pth) as a "
            + "trainer checkpoint RUN_DIR/last that train --init-from, eval and export accept.")
public final class ImportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "SOURCE",
      description = "pyslowfast or mmaction2")
  String from;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "the source's checkpoint (.pyth, .pkl, .pth)")
  Path checkpoint;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description =
          "the source's config (PySlowFast YAML; MMAction2: the JSON/YAML dump of its config, "
              + "mmengine.Config.fromfile(CFG).dump('config.json'))")
  Path config;

  @Option(
      names = "--labelmap",
      required = true,
      paramLabel = "FILE",
      description =
          "label map (pbtxt) of the classes; for a detection checkpoint as many as its head has")
  Path labelMap;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "RUN_DIR",
      description = "run folder to write RUN_DIR/last into")
  Path out;

  @Override
  public Integer call() {
    if (!from.equals("pyslowfast") && !from.equals("mmaction2")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--from must be pyslowfast or mmaction2, got '" + from + "'");
    }
    try (NDManager m = NDManager.newBaseManager()) {
      ModelImporter.Result r = ModelImporter.run(from, checkpoint, config, labelMap, out, m);
      System.out.printf(
          Locale.ROOT,
          "trainer: imported %d arrays (%s) from %s as %s: %s, T=%d, tau=%d, test short side %d%s%n",
          r.arrays(),
          r.head() ? "backbone and detection head" : "backbone; the classifier dropped, a new head",
          checkpoint.getFileName(),
          r.checkpoint(),
          r.config().preset(),
          r.config().frames(),
          r.config().frameStride(),
          r.config().input().shortSide(),
          r.config().legacyRoiAlign() ? ", RoIAlign not aligned" : "");
      for (String note : r.notes()) {
        System.out.println("trainer: note: " + note);
      }
    }
    return 0;
  }
}
