package io.cmstream.trainer.cli;

import ai.djl.ndarray.NDManager;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.infer.WindowedDetector;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.TorchDevice;
import io.cmstream.trainer.train.FrameMapValidation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trainer eval}. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Detect on a split with a checkpoint, write the detections as AVA CSV and print frame-mAP.")
public final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec commandSpec;

  @Mixin SplitOptions splitOptions;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "CKPT",
      description = "checkpoint folder (e.g. RUN_DIR/last)")
  Path checkpoint;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "detections CSV to write")
  Path out;

  @Option(
      names = "--clips",
      defaultValue = "0",
      paramLabel = "N",
      description = "window size (default: the checkpoint's)")
  int clips;

  @Option(
      names = "--boxes",
      defaultValue = "detected",
      description =
          "detected (the proposals, AVA protocol) | "
              + "ground-truth (only classification counts, like the synthetic data's ceiling table) (default ${DEFAULT-VALUE})")
  String boxes;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu | cuda (default ${DEFAULT-VALUE})")
  String device;

  @Override
  public Integer call() {
    if (!boxes.equals("detected") && !boxes.equals("ground-truth")) {
      throw new CommandLine.ParameterException(
          commandSpec.commandLine(),
          "--boxes must be detected or ground-truth, got '" + boxes + "'");
    }
    CheckpointMeta meta = CheckpointMeta.read(checkpoint);
    AvaSplit s = splitOptions.load();
    if (boxes.equals("ground-truth")) {
      s = s.withGroundTruthBoxes();
    }
    meta.requireClassesOf(s);
    int n = clips > 0 ? clips : meta.clips();
    ClipSpec spec = meta.clipSpec();
    try (NDManager m = NDManager.newBaseManager(TorchDevice.of(device))) {
      CmDetector model = meta.loadDetector(checkpoint, m);
      List<DetectionRow> rows = new WindowedDetector(model, spec, n, 8).detect(s, m, k -> {});
      DetectionsCsv.write(out, rows);
      System.err.println("trainer: wrote " + rows.size() + " detection rows to " + out);
      FrameMapValidation.evaluate(s, out, System.out);
    }
    return 0;
  }
}
