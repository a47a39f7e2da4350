package io.cmstream.trainer.cli;

import io.cmstream.trainer.data.WindowSampling;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.train.FrameMapValidation;
import io.cmstream.trainer.train.TrainOptions;
import io.cmstream.trainer.train.TrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer train}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train the detector on a dataset in the PySlowFast AVA layout; checkpoints, "
            + "metrics.json/metrics.csv and training-curve.png go to RUN_DIR (last checkpoint: RUN_DIR/last).")
public final class TrainCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "dataset folder (PySlowFast AVA layout)")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "run folder")
  Path out;

  @Option(
      names = "--preset",
      defaultValue = "tiny",
      description = "model preset: tiny | slow-r50 (default ${DEFAULT-VALUE})")
  String preset;

  @Option(
      names = "--clips",
      defaultValue = "1",
      paramLabel = "N",
      description = "clips per window, one second apart (default ${DEFAULT-VALUE})")
  int clips;

  @Option(
      names = "--memory",
      defaultValue = "default",
      description =
          "collaborative memory: default | avgpool | residual | none (default ${DEFAULT-VALUE})")
  String memory;

  @Option(
      names = "--epochs",
      defaultValue = "8",
      paramLabel = "E",
      description = "epochs (default ${DEFAULT-VALUE})")
  int epochs;

  @Option(
      names = "--batch",
      defaultValue = "16",
      paramLabel = "B",
      description =
          "clips per batch: whole examples packed up to B clips (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "0.1",
      description =
          "base learning rate for 16 clips, scaled linearly with B (default ${DEFAULT-VALUE})")
  float lr;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--init-from",
      paramLabel = "CKPT",
      description = "stage-1 checkpoint folder to start from (parameters matched by name)")
  Path initFrom;

  @Option(names = "--resume", description = "continue from RUN_DIR/last")
  boolean resume;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu | cuda (default ${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--fps",
      defaultValue = "0",
      description =
          "frame rate of the frame folders (default: from the dataset's metadata, else 30)")
  double fps;

  @Option(
      names = "--proposal-threshold",
      defaultValue = "0.5",
      description = "ignore person proposals below this score (default ${DEFAULT-VALUE})")
  double proposalThreshold;

  @Option(
      names = "--focal-alpha",
      defaultValue = "-1",
      description = "focal-loss alpha, negative = off (default ${DEFAULT-VALUE})")
  float focalAlpha;

  @Option(
      names = "--focal-gamma",
      defaultValue = "0",
      description =
          "focal-loss gamma; 0 without alpha is binary "
              + "cross-entropy, PySlowFast's AVA loss (default ${DEFAULT-VALUE})")
  float focalGamma;

  @Option(
      names = "--weight-decay",
      defaultValue = "1e-4",
      description = "SGD weight decay (default ${DEFAULT-VALUE})")
  float weightDecay;

  @Option(
      names = "--momentum",
      defaultValue = "0.9",
      description = "SGD momentum (default ${DEFAULT-VALUE})")
  float momentum;

  @Option(
      names = "--warmup-epochs",
      defaultValue = "1",
      description = "linear warm-up epochs (default ${DEFAULT-VALUE})")
  float warmupEpochs;

  @Option(
      names = "--two-scan",
      description = "multi-iteration two-scan training (large N, small memory)")
  boolean twoScan;

  @Option(
      names = "--crop",
      defaultValue = "0",
      description = "input size in pixels (default: the preset's)")
  int crop;

  @Option(
      names = "--window-sampling",
      defaultValue = "sliding",
      description =
          "sliding: N labelled seconds "
              + "per example plus memory-only margins, each clip reads its centred window as in serving; tiled: "
              + "the paper's N-second windows, each clip reads the whole window (default ${DEFAULT-VALUE})")
  String windowSampling;

  @Option(
      names = "--backbone-lr-mult",
      defaultValue = "1",
      description =
          "the backbone learns at this "
              + "multiple of the learning rate, the memory and the head at the rate itself; below 1 fine-tunes a "
              + "stage-1 backbone gently (stage 2) (default ${DEFAULT-VALUE})")
  float backboneLrMult;

  @Option(
      names = "--memory-warmup",
      defaultValue = "0",
      paramLabel = "STEPS",
      description =
          "stage 2: before the "
              + "first epoch, train the memory and the head for STEPS full-batch steps on the frozen backbone's cached "
              + "clip statistics (0 = off; see the README) (default ${DEFAULT-VALUE})")
  int memoryWarmup;

  @Option(
      names = "--memory-warmup-lr",
      defaultValue = "2",
      description =
          "peak learning rate of the memory warm-up " + "(cosine) (default ${DEFAULT-VALUE})")
  float memoryWarmupLr;

  @Option(
      names = "--frozen-bn",
      description =
          "keep the backbone's batch norm in inference mode while training "
              + "(running statistics fixed, scale and shift trained), as detection fine-tuning does; use it with --memory-warmup")
  boolean frozenBn;

  @Option(names = "--no-val", description = "skip the validation frame-mAP after each epoch")
  boolean noVal;

  @Override
  public Integer call() {
    TrainOptions opt =
        options(spec, data, out, preset, clips, memory, epochs, batch, lr, seed, device);
    try {
      opt =
          new TrainOptions(
              opt.data(),
              opt.out(),
              opt.preset(),
              opt.clips(),
              opt.memory(),
              opt.epochs(),
              opt.batch(),
              opt.lr(),
              opt.seed(),
              initFrom,
              resume,
              opt.device(),
              fps,
              proposalThreshold,
              focalAlpha,
              focalGamma,
              weightDecay,
              momentum,
              warmupEpochs,
              twoScan,
              !noVal,
              crop,
              sampling(spec, windowSampling),
              backboneLrMult,
              memoryWarmup,
              memoryWarmupLr,
              frozenBn);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    new TrainingRun(opt, FrameMapValidation::new, System.err).run();
    return 0;
  }

  /** Parses --window-sampling (usage error when unknown). */
  static WindowSampling sampling(CommandLine.Model.CommandSpec spec, String name) {
    try {
      return WindowSampling.parse(name);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Checks the shared options; usage errors (unknown preset, variant, bad numbers) exit 2. */
  static TrainOptions options(
      CommandLine.Model.CommandSpec spec,
      Path data,
      Path out,
      String preset,
      int clips,
      String memory,
      int epochs,
      int batch,
      float lr,
      long seed,
      String device) {
    try {
      ModelConfig.preset(preset, 1);
      MemoryType m = MemoryType.parse(memory);
      TrainOptions d = TrainOptions.defaults(data, out);
      return new TrainOptions(
          data,
          out,
          preset,
          clips,
          m,
          epochs,
          batch,
          lr,
          seed,
          null,
          false,
          device,
          d.fps(),
          d.proposalThreshold(),
          d.focalAlpha(),
          d.focalGamma(),
          d.weightDecay(),
          d.momentum(),
          d.warmupEpochs(),
          false,
          true,
          0,
          d.sampling(),
          d.backboneLrMult(),
          d.memoryWarmupSteps(),
          d.memoryWarmupLr(),
          d.frozenBn());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
