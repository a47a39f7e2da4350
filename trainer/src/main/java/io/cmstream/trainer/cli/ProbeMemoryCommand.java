package io.cmstream.trainer.cli;

import ai.djl.ndarray.NDManager;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.probe.FrozenFeatureProbe;
import io.cmstream.trainer.train.ClipStatistics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer probe-memory}. */
@Command(
    name = "probe-memory",
    mixinStandardHelpOptions = true,
    description =
        "Run the stage-2 memory warm-up alone: train only the memory and the head on a checkpoint's "
            + "frozen features (full batch, a minute) and print box-level AP per class on train and val: can the memory "
            + "learn the dataset's context from these features? --back 0 --ahead 0 is the control without context.")
public final class ProbeMemoryCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "dataset folder")
  Path data;

  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "CKPT",
      description =
          "checkpoint folder whose backbone (and head) to use, e.g. a stage-1 RUN_DIR/last")
  Path checkpoint;

  @Option(
      names = "--memory",
      defaultValue = "default",
      description = "default | avgpool | residual | none (default ${DEFAULT-VALUE})")
  String memory;

  @Option(
      names = "--back",
      defaultValue = "2",
      description = "seconds before each clip its memory reads (default ${DEFAULT-VALUE})")
  int back;

  @Option(
      names = "--ahead",
      defaultValue = "2",
      description = "seconds after each clip its memory reads (default ${DEFAULT-VALUE})")
  int ahead;

  @Option(
      names = "--steps",
      defaultValue = "400",
      description = "full-batch SGD steps (default ${DEFAULT-VALUE})")
  int steps;

  @Option(
      names = "--lr",
      defaultValue = "2",
      description = "peak learning rate, cosine schedule (default ${DEFAULT-VALUE})")
  float lr;

  @Option(
      names = "--reports",
      defaultValue = "10",
      description = "evaluations printed (default ${DEFAULT-VALUE})")
  int reports;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--views",
      defaultValue = "full",
      description =
          "how each training clip is seen: full (whole frame, as "
              + "evaluation sees it), crop, 2crops, full+crop, ... (default ${DEFAULT-VALUE}); val clips are seen whole")
  String views;

  @Option(
      names = "--proposal-threshold",
      defaultValue = "0.5",
      description = "ignore proposals below this score (default ${DEFAULT-VALUE})")
  double proposalThreshold;

  @Override
  public Integer call() {
    FrozenFeatureProbe.Options opt;
    try {
      opt =
          new FrozenFeatureProbe.Options(
              MemoryType.parse(memory),
              back,
              ahead,
              steps,
              lr,
              reports,
              seed,
              ClipStatistics.Views.parse(views));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    CheckpointMeta meta = CheckpointMeta.read(checkpoint);
    AvaSplit train = AvaSplit.load(data, "train", proposalThreshold, true);
    AvaSplit val = AvaSplit.load(data, "val", proposalThreshold, false);
    meta.requireClassesOf(train);
    ModelConfig cfg = meta.model().withMemory(opt.memory());
    try (NDManager m = NDManager.newBaseManager()) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(m);
      ParamsFile.load(model, checkpoint.resolve(CheckpointMeta.PARAMS), m, false);
      new FrozenFeatureProbe(model, opt).run(train, val, meta.fps(), m, System.out);
    }
    return 0;
  }
}
