package io.cmstream.trainer.cli;

import io.cmstream.common.cli.ProjectVersion;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.schemas.manifest.ModelManifest;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.data.AvaLayout;
import io.cmstream.trainer.export.BundleExporter;
import io.cmstream.trainer.train.EpochMetrics;
import io.cmstream.trainer.train.MetricsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trainer export}: checkpoint -> model bundle (two ONNX graphs, manifest, label map,
 * params).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Export a checkpoint as a model bundle: encoder.onnx, context_head.onnx, manifest.json, "
            + "labelmap.pbtxt, params/.")
public final class ExportCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "CKPT",
      description = "checkpoint folder (e.g. RUN_DIR/last)")
  Path checkpoint;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "BUNDLE",
      description = "bundle folder to create (new or empty)")
  Path out;

  @Option(
      names = "--labelmap",
      paramLabel = "FILE",
      description = "label map (default: the one of the data set the checkpoint was trained on)")
  Path labelMap;

  @Option(names = "--model-id", paramLabel = "ID", description = "model id (default: cm-<preset>)")
  String modelId;

  @Option(
      names = "--model-version",
      paramLabel = "V",
      description = "model version (default: epoch-<N>)")
  String modelVersion;

  @Option(
      names = "--command",
      paramLabel = "CMD",
      description =
          "a command that produced the checkpoint, recorded in the manifest (repeatable, in order)")
  List<String> producedBy = new java.util.ArrayList<>();

  @Option(
      names = "--val-map",
      paramLabel = "POINTS",
      description =
          "validation frame-mAP in points (default: the checkpoint epoch's value in RUN_DIR/metrics.json)")
  Double valMap;

  @Override
  public Integer call() {
    CheckpointMeta meta = CheckpointMeta.read(checkpoint);
    Path dataDir = meta.data() == null ? null : Path.of(meta.data());
    LabelMap labels = LabelMapPbtxt.read(labelMap != null ? labelMap : labelMapOf(dataDir));
    double map = valMap != null ? valMap : validationMap(meta);
    if (!(map >= 0 && map <= 100)) {
      throw new IllegalArgumentException("--val-map must be in [0,100] points, got " + map);
    }
    String dataName =
        dataDir == null || dataDir.getFileName() == null
            ? "unknown"
            : dataDir.getFileName().toString();
    String id = modelId != null ? modelId : "cm-" + meta.model().preset();
    String version = modelVersion != null ? modelVersion : "epoch-" + meta.epoch();
    List<String> commands = new java.util.ArrayList<>(producedBy);
    commands.add(
        String.format(
            Locale.ROOT,
            "trainer export --checkpoint %s --out %s",
            checkpoint.getFileName(),
            out.getFileName()));
    ModelManifest m =
        new BundleExporter(new ProjectVersion().getVersion()[0])
            .export(
                new BundleExporter.Request(
                    checkpoint, out, labels, id, version, dataName, map / 100, commands));
    System.out.printf(
        Locale.ROOT,
        "trainer: wrote bundle %s (%s, C=%d, C'=%d, K=%d, window -%d/+%d, val mAP %.2f)%n",
        out,
        m.qualifiedId(),
        m.dims().channels(),
        m.dims().memoryChannels(),
        m.dims().numClasses(),
        m.window().back(),
        m.window().ahead(),
        m.training().validationMap() * 100);
    return 0;
  }

  private static Path labelMapOf(Path dataDir) {
    if (dataDir == null || !Files.isDirectory(dataDir)) {
      throw new IllegalArgumentException(
          "the checkpoint's data set " + dataDir + " is not here; pass --labelmap");
    }
    return new AvaLayout(dataDir).labelMap();
  }

  private double validationMap(CheckpointMeta meta) {
    Path runDir = checkpoint.toAbsolutePath().getParent();
    for (EpochMetrics e : MetricsWriter.read(runDir)) {
      if (e.epoch() == meta.epoch() && !Double.isNaN(e.valMap())) {
        return e.valMap();
      }
    }
    throw new IllegalArgumentException(
        "no validation mAP for epoch "
            + meta.epoch()
            + " in "
            + runDir.resolve(MetricsWriter.JSON_FILE)
            + "; pass --val-map");
  }
}
