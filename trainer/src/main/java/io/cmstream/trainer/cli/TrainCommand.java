package io.cmstream.trainer.cli;

import io.cmstream.trainer.data.WindowSampling;
import io.cmstream.trainer.model.MemoryType;
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
      description = "model preset: tiny | slow-r50 (default ${DEFAULT-VALUE})")
  String preset = TrainOptions.Defaults.PRESET;

  @Option(
      names = "--clips",
      paramLabel = "N",
      description = "clips per window, one second apart (default ${DEFAULT-VALUE})")
  int clips = TrainOptions.Defaults.CLIPS;

  @Option(
      names = "--memory",
      description =
          "collaborative memory: default | avgpool | residual | none (default ${DEFAULT-VALUE})")
  String memory = TrainOptions.Defaults.MEMORY.cliName();

  @Option(names = "--epochs", paramLabel = "E", description = "epochs (default ${DEFAULT-VALUE})")
  int epochs = TrainOptions.Defaults.EPOCHS;

  @Option(
      names = "--batch",
      paramLabel = "B",
      description =
          "clips per batch: whole examples packed up to B clips (default ${DEFAULT-VALUE})")
  int batch = TrainOptions.Defaults.BATCH;

  @Option(
      names = "--lr",
      description =
          "base learning rate for 16 clips, scaled linearly with B (default ${DEFAULT-VALUE})")
  float lr = TrainOptions.Defaults.LR;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "random seed (default ${DEFAULT-VALUE})")
  long seed = TrainOptions.Defaults.SEED;

  @Option(
      names = "--init-from",
      paramLabel = "CKPT",
      description = "stage-1 checkpoint folder to start from (parameters matched by name)")
  Path initFrom;

  @Option(names = "--resume", description = "continue from RUN_DIR/last")
  boolean resume;

  @Option(names = "--device", description = "cpu | cuda (default ${DEFAULT-VALUE})")
  String device = TrainOptions.Defaults.DEVICE;

  @Option(
      names = "--fps",
      description =
          "frame rate of the frame folders (default: from the dataset's metadata, else 30)")
  double fps = TrainOptions.Defaults.FPS;

  @Option(
      names = "--proposal-threshold",
      description = "ignore person proposals below this score (default ${DEFAULT-VALUE})")
  double proposalThreshold = TrainOptions.Defaults.PROPOSAL_THRESHOLD;

  @Option(
      names = "--focal-alpha",
      description = "focal-loss alpha, negative = off (default ${DEFAULT-VALUE})")
  float focalAlpha = TrainOptions.Defaults.FOCAL_ALPHA;

  @Option(
      names = "--focal-gamma",
      description =
          "focal-loss gamma; 0 without alpha is binary "
              + "cross-entropy, PySlowFast's AVA loss (default ${DEFAULT-VALUE})")
  float focalGamma = TrainOptions.Defaults.FOCAL_GAMMA;

  @Option(names = "--weight-decay", description = "SGD weight decay (default ${DEFAULT-VALUE})")
  float weightDecay = TrainOptions.Defaults.WEIGHT_DECAY;

  @Option(names = "--momentum", description = "SGD momentum (default ${DEFAULT-VALUE})")
  float momentum = TrainOptions.Defaults.MOMENTUM;

  @Option(
      names = "--warmup-epochs",
      description = "linear warm-up epochs (default ${DEFAULT-VALUE})")
  float warmupEpochs = TrainOptions.Defaults.WARMUP_EPOCHS;

  @Option(
      names = "--two-scan",
      description = "multi-iteration two-scan training (large N, small memory)")
  boolean twoScan;

  @Option(names = "--crop", description = "input size in pixels (default: the preset's)")
  int crop = TrainOptions.Defaults.CROP;

  @Option(
      names = "--window-sampling",
      description =
          "sliding: N labelled seconds "
              + "per example plus memory-only margins, each clip reads its centred window as in serving; tiled: "
              + "the paper's N-second windows, each clip reads the whole window (default ${DEFAULT-VALUE})")
  String windowSampling = TrainOptions.Defaults.SAMPLING.cliName();

  @Option(
      names = "--backbone-lr-mult",
      description =
          "the backbone learns at this "
              + "multiple of the learning rate, the memory and the head at the rate itself; below 1 fine-tunes a "
              + "stage-1 backbone gently (stage 2) (default ${DEFAULT-VALUE})")
  float backboneLrMult = TrainOptions.Defaults.BACKBONE_LR_MULT;

  @Option(
      names = "--memory-warmup",
      paramLabel = "STEPS",
      description =
          "stage 2: before the "
              + "first epoch, train the memory and the head for STEPS full-batch steps on the frozen backbone's cached "
              + "clip statistics (0 = off; see the README) (default ${DEFAULT-VALUE})")
  int memoryWarmup = TrainOptions.Defaults.MEMORY_WARMUP_STEPS;

  @Option(
      names = "--memory-warmup-lr",
      description =
          "peak learning rate of the memory warm-up " + "(cosine) (default ${DEFAULT-VALUE})")
  float memoryWarmupLr = TrainOptions.Defaults.MEMORY_WARMUP_LR;

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
    TrainOptions opt;
    try {
      opt =
          TrainOptions.defaults(data, out)
              .withData(
                  d ->
                      d.withClips(clips)
                          .withFps(fps)
                          .withProposalThreshold(proposalThreshold)
                          .withSampling(sampling(spec, windowSampling)))
              .withModel(
                  m ->
                      m.withPreset(preset)
                          .withMemory(MemoryType.parse(memory))
                          .withCrop(crop)
                          .withInitFrom(initFrom))
              .withOptim(
                  o ->
                      o.withEpochs(epochs)
                          .withBatch(batch)
                          .withLr(lr)
                          .withWarmupEpochs(warmupEpochs)
                          .withMomentum(momentum)
                          .withWeightDecay(weightDecay)
                          .withLoss(new TrainOptions.Loss(focalAlpha, focalGamma)))
              .withStep(
                  s ->
                      s.withTwoScan(twoScan)
                          .withFrozenBn(frozenBn)
                          .withBackboneLrMult(backboneLrMult))
              .withRun(
                  r -> r.withSeed(seed).withDevice(device).withResume(resume).withValidate(!noVal))
              .withMemoryWarmup(new TrainOptions.MemoryWarmupPlan(memoryWarmup, memoryWarmupLr));
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
}
