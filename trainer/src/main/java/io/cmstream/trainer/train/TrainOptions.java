package io.cmstream.trainer.train;

import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.data.DatasetFps;
import io.cmstream.trainer.data.WindowSampling;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.model.SigmoidFocalLoss;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Everything {@code trainer train} can be told, in six groups; every default lives in {@link
 * Defaults}. Each group checks its own values; this record checks the rules that span groups.
 *
 * @param data what is trained on and how examples are cut
 * @param model the architecture and where its parameters start
 * @param optim the SGD recipe: schedule, batch and loss
 * @param step how each step treats the memory and the backbone
 * @param memoryWarmup stage 2's memory warm-up before the first epoch ({@link MemoryWarmup})
 * @param run where the run goes and how it runs (seed, device, resume, validation)
 */
public record TrainOptions(
    Data data,
    Model model,
    Optimisation optim,
    StepMode step,
    MemoryWarmupPlan memoryWarmup,
    Run run) {

  public TrainOptions {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(optim, "optim");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(memoryWarmup, "memoryWarmup");
    Objects.requireNonNull(run, "run");
    if (memoryWarmup.steps() > 0 && model.initFrom() == null && !run.resume()) {
      throw new IllegalArgumentException(
          "--memory-warmup needs --init-from: it trains the memory on a stage-1 backbone's features");
    }
    if (step.twoScan() && model.memory() != MemoryType.DEFAULT) {
      throw new IllegalArgumentException("--two-scan needs --memory default");
    }
  }

  /** The defaults ({@link Defaults}) on a dataset, written to a run folder. */
  public static TrainOptions defaults(Path data, Path out) {
    return new TrainOptions(
        Data.defaults(data),
        Model.defaults(),
        Optimisation.defaults(),
        StepMode.DEFAULT,
        MemoryWarmupPlan.NONE,
        Run.defaults(out));
  }

  public TrainOptions withData(UnaryOperator<Data> change) {
    return new TrainOptions(change.apply(data), model, optim, step, memoryWarmup, run);
  }

  public TrainOptions withModel(UnaryOperator<Model> change) {
    return new TrainOptions(data, change.apply(model), optim, step, memoryWarmup, run);
  }

  public TrainOptions withOptim(UnaryOperator<Optimisation> change) {
    return new TrainOptions(data, model, change.apply(optim), step, memoryWarmup, run);
  }

  public TrainOptions withStep(UnaryOperator<StepMode> change) {
    return new TrainOptions(data, model, optim, change.apply(step), memoryWarmup, run);
  }

  public TrainOptions withMemoryWarmup(MemoryWarmupPlan plan) {
    return new TrainOptions(data, model, optim, step, plan, run);
  }

  public TrainOptions withRun(UnaryOperator<Run> change) {
    return new TrainOptions(data, model, optim, step, memoryWarmup, change.apply(run));
  }

  /** The training step these options ask for, updating through {@code store}. */
  public TrainingStep trainingStep(CmDetector model, ParameterStore store) {
    return new TrainingStep(
        model,
        store,
        optim.loss().create(),
        step.twoScan(),
        Defaults.TWO_SCAN_CHUNK,
        step.frozenBn());
  }

  /** Every default of {@code trainer train}, in one commented place. */
  public static final class Defaults {
    /** N: one clip per window, stage 1 (no memory context). */
    public static final int CLIPS = 1;

    /** Frame rate of the frame folders; 0: from the dataset ({@link DatasetFps}), else 30. */
    public static final double FPS = 0;

    /** Person proposals below this score are ignored (PySlowFast's AVA detection threshold). */
    public static final double PROPOSAL_THRESHOLD = 0.5;

    /** Each clip reads its centred window, the memory serving and evaluation give it. */
    public static final WindowSampling SAMPLING = WindowSampling.SLIDING;

    /** The small CPU-friendly preset; {@code slow-r50} is the paper's backbone. */
    public static final String PRESET = "tiny";

    /** The paper's collaborative memory. */
    public static final MemoryType MEMORY = MemoryType.DEFAULT;

    /** Input size in pixels; 0: the preset's. */
    public static final int CROP = 0;

    public static final int EPOCHS = 8;

    /** Clips per batch (whole examples packed up to this many clips). */
    public static final int BATCH = 16;

    /** Base learning rate for {@link #REFERENCE_BATCH} clips, scaled linearly with the batch. */
    public static final float LR = 0.1f;

    /** The batch size the base learning rate is given for. */
    public static final int REFERENCE_BATCH = 16;

    /** Linear learning-rate warm-up before the cosine decay. */
    public static final float WARMUP_EPOCHS = 1f;

    public static final float MOMENTUM = 0.9f;

    public static final float WEIGHT_DECAY = 1e-4f;

    /** Gradients are clipped to this value per element (every SGD of the trainer). */
    public static final float CLIP_GRAD = 10f;

    /** Clips per scan-2 forward pass in two-scan training. */
    public static final int TWO_SCAN_CHUNK = 2;

    /** The backbone learns at the learning rate itself. */
    public static final float BACKBONE_LR_MULT = 1f;

    /** Focal-loss alpha; negative: off. */
    public static final float FOCAL_ALPHA = -1f;

    /**
     * Focal-loss gamma; 0 with alpha off is binary cross-entropy, PySlowFast's AVA loss (the
     * comparison with focal loss: docs/experiments.md).
     */
    public static final float FOCAL_GAMMA = 0f;

    /** Memory warm-up steps; 0: none. */
    public static final int MEMORY_WARMUP_STEPS = 0;

    /**
     * Peak learning rate of the memory warm-up (full batch, loss averaged over boxes x classes).
     */
    public static final float MEMORY_WARMUP_LR = 2f;

    public static final long SEED = 0;

    public static final String DEVICE = "cpu";

    private Defaults() {}
  }

  /**
   * What is trained on and how examples are cut.
   *
   * @param root dataset folder (PySlowFast AVA layout)
   * @param fps frame rate of the dataset's frame folders (0 = from the dataset, else 30)
   * @param proposalThreshold person proposals below this score are ignored
   * @param clips N, clips per window
   * @param sampling how examples are cut: sliding (each clip reads its centred window) or tiled
   */
  public record Data(
      Path root, double fps, double proposalThreshold, int clips, WindowSampling sampling) {
    public Data {
      Objects.requireNonNull(root, "root");
      if (clips < 1) throw new IllegalArgumentException("--clips must be >= 1, got " + clips);
      if (sampling == null) throw new IllegalArgumentException("window sampling must be given");
    }

    public static Data defaults(Path root) {
      return new Data(
          root, Defaults.FPS, Defaults.PROPOSAL_THRESHOLD, Defaults.CLIPS, Defaults.SAMPLING);
    }

    /** The frame rate: the given one, else the dataset's ({@link DatasetFps}). */
    public double resolveFps() {
      return fps > 0 ? fps : DatasetFps.detect(root);
    }

    public Data withFps(double fps) {
      return new Data(root, fps, proposalThreshold, clips, sampling);
    }

    public Data withProposalThreshold(double threshold) {
      return new Data(root, fps, threshold, clips, sampling);
    }

    public Data withClips(int clips) {
      return new Data(root, fps, proposalThreshold, clips, sampling);
    }

    public Data withSampling(WindowSampling sampling) {
      return new Data(root, fps, proposalThreshold, clips, sampling);
    }
  }

  /**
   * The architecture and where its parameters start.
   *
   * @param preset model preset (tiny, slow-r50)
   * @param memory CM variant
   * @param crop input size in pixels (0: the preset's)
   * @param initFrom checkpoint folder to start from (parameters matched by name), or null
   */
  public record Model(String preset, MemoryType memory, int crop, Path initFrom) {
    public Model {
      ModelConfig.preset(preset, 1); // an unknown preset is refused here, in one line
      Objects.requireNonNull(memory, "memory");
      if (crop != 0 && crop < 32) {
        throw new IllegalArgumentException("--crop must be >= 32 pixels, got " + crop);
      }
    }

    /**
     * The architecture for K classes at the dataset's frame rate: an imported checkpoint's ({@link
     * CheckpointMeta#importedConfig}) when {@code init} is one, else the preset's ({@link
     * ModelConfig#presetAt}); with this memory variant and crop.
     */
    public ModelConfig config(int numClasses, double fps, CheckpointMeta init) {
      ModelConfig cfg =
          init != null && init.model().input() != null
              ? init.importedConfig(numClasses, fps)
              : ModelConfig.presetAt(preset, numClasses, fps);
      cfg = cfg.withMemory(memory);
      return crop > 0 ? cfg.withInput(cfg.frames(), cfg.frameStride(), crop) : cfg;
    }

    public static Model defaults() {
      return new Model(Defaults.PRESET, Defaults.MEMORY, Defaults.CROP, null);
    }

    public Model withPreset(String preset) {
      return new Model(preset, memory, crop, initFrom);
    }

    public Model withMemory(MemoryType memory) {
      return new Model(preset, memory, crop, initFrom);
    }

    public Model withCrop(int crop) {
      return new Model(preset, memory, crop, initFrom);
    }

    public Model withInitFrom(Path initFrom) {
      return new Model(preset, memory, crop, initFrom);
    }
  }

  /**
   * The loss: sigmoid focal loss, mean over boxes x classes.
   *
   * @param alpha focal-loss alpha (negative: off)
   * @param gamma focal-loss gamma (0 with alpha off: binary cross-entropy)
   */
  public record Loss(float alpha, float gamma) {
    /** Binary cross-entropy, the default. */
    public static final Loss BCE = new Loss(Defaults.FOCAL_ALPHA, Defaults.FOCAL_GAMMA);

    public boolean isBce() {
      return gamma == 0 && alpha < 0;
    }

    public SigmoidFocalLoss create() {
      return new SigmoidFocalLoss(alpha, gamma);
    }
  }

  /**
   * The SGD recipe: schedule, batch and loss.
   *
   * @param epochs training epochs
   * @param batch B, clips per batch (whole examples packed up to B clips)
   * @param lr base learning rate for {@link Defaults#REFERENCE_BATCH} clips (linear scaling)
   * @param warmupEpochs linear warm-up length in epochs (then cosine)
   * @param momentum SGD momentum
   * @param weightDecay SGD weight decay
   * @param loss the loss
   */
  public record Optimisation(
      int epochs,
      int batch,
      float lr,
      float warmupEpochs,
      float momentum,
      float weightDecay,
      Loss loss) {
    public Optimisation {
      if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
      if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
      if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
      Objects.requireNonNull(loss, "loss");
    }

    public static Optimisation defaults() {
      return new Optimisation(
          Defaults.EPOCHS,
          Defaults.BATCH,
          Defaults.LR,
          Defaults.WARMUP_EPOCHS,
          Defaults.MOMENTUM,
          Defaults.WEIGHT_DECAY,
          Loss.BCE);
    }

    /** The peak learning rate of a batch of {@link #batch} clips (linear scaling rule). */
    public float scaledLr() {
      return WarmupCosine.scaled(lr, batch, Defaults.REFERENCE_BATCH);
    }

    /** SGD with this momentum and weight decay and clipped gradients, at the given rates. */
    public Optimizer sgd(ParameterTracker rates, long beginStep) {
      return Optimizer.sgd()
          .setLearningRateTracker(rates)
          .optMomentum(momentum)
          .optWeightDecays(weightDecay)
          .optClipGrad(Defaults.CLIP_GRAD)
          .optBeginNumUpdate((int) beginStep)
          .build();
    }

    public Optimisation withEpochs(int epochs) {
      return new Optimisation(epochs, batch, lr, warmupEpochs, momentum, weightDecay, loss);
    }

    public Optimisation withBatch(int batch) {
      return new Optimisation(epochs, batch, lr, warmupEpochs, momentum, weightDecay, loss);
    }

    public Optimisation withLr(float lr) {
      return new Optimisation(epochs, batch, lr, warmupEpochs, momentum, weightDecay, loss);
    }

    public Optimisation withWarmupEpochs(float warmupEpochs) {
      return new Optimisation(epochs, batch, lr, warmupEpochs, momentum, weightDecay, loss);
    }

    public Optimisation withMomentum(float momentum) {
      return new Optimisation(epochs, batch, lr, warmupEpochs, momentum, weightDecay, loss);
    }

    public Optimisation withWeightDecay(float weightDecay) {
      return new Optimisation(epochs, batch, lr, warmupEpochs, momentum, weightDecay, loss);
    }

    public Optimisation withLoss(Loss loss) {
      return new Optimisation(epochs, batch, lr, warmupEpochs, momentum, weightDecay, loss);
    }
  }

  /**
   * How each training step treats the memory and the backbone.
   *
   * @param twoScan multi-iteration two-scan training (scan 1 builds G without gradient)
   * @param frozenBn the backbone's batch norm runs in inference mode while training (running
   *     statistics fixed, scale and shift trained), as in detection fine-tuning: stage 2 then sees
   *     the features its memory warm-up saw
   * @param backboneLrMult the backbone learns at this multiple of the learning rate (memory and
   *     head at the learning rate itself): below 1 fine-tunes a stage-1 backbone gently while the
   *     new memory and the head that reads it learn fast
   */
  public record StepMode(boolean twoScan, boolean frozenBn, float backboneLrMult) {
    /** One scan, batch norm training, one learning rate for all. */
    public static final StepMode DEFAULT = new StepMode(false, false, Defaults.BACKBONE_LR_MULT);

    public StepMode {
      if (!(backboneLrMult >= 0) || Float.isInfinite(backboneLrMult)) {
        throw new IllegalArgumentException(
            "--backbone-lr-mult must be a number >= 0, got " + backboneLrMult);
      }
    }

    public StepMode withTwoScan(boolean twoScan) {
      return new StepMode(twoScan, frozenBn, backboneLrMult);
    }

    public StepMode withFrozenBn(boolean frozenBn) {
      return new StepMode(twoScan, frozenBn, backboneLrMult);
    }

    public StepMode withBackboneLrMult(float backboneLrMult) {
      return new StepMode(twoScan, frozenBn, backboneLrMult);
    }
  }

  /**
   * Stage 2's memory warm-up ({@link MemoryWarmup}): before the first epoch, the backbone frozen,
   * the memory and the head train full batch on cached clip statistics.
   *
   * @param steps full-batch steps; 0 = none
   * @param lr peak learning rate (cosine schedule)
   */
  public record MemoryWarmupPlan(int steps, float lr) {
    /** No memory warm-up. */
    public static final MemoryWarmupPlan NONE =
        new MemoryWarmupPlan(Defaults.MEMORY_WARMUP_STEPS, Defaults.MEMORY_WARMUP_LR);

    public MemoryWarmupPlan {
      if (steps < 0) {
        throw new IllegalArgumentException("--memory-warmup must be >= 0, got " + steps);
      }
      if (!(lr > 0) || Float.isInfinite(lr)) {
        throw new IllegalArgumentException("--memory-warmup-lr must be > 0, got " + lr);
      }
    }
  }

  /**
   * Where the run goes and how it runs.
   *
   * @param out run folder (checkpoints, metrics)
   * @param seed random seed (initialisation, sampling, augmentation)
   * @param device cpu or cuda
   * @param resume continue from {@code out/last}
   * @param validate run validation frame-mAP after each epoch
   */
  public record Run(Path out, long seed, String device, boolean resume, boolean validate) {
    public Run {
      Objects.requireNonNull(out, "out");
      if (!device.equals("cpu") && !device.equals("cuda")) {
        throw new IllegalArgumentException("--device must be cpu or cuda, got '" + device + "'");
      }
    }

    public static Run defaults(Path out) {
      return new Run(out, Defaults.SEED, Defaults.DEVICE, false, true);
    }

    public Run withOut(Path out) {
      return new Run(out, seed, device, resume, validate);
    }

    public Run withSeed(long seed) {
      return new Run(out, seed, device, resume, validate);
    }

    public Run withDevice(String device) {
      return new Run(out, seed, device, resume, validate);
    }

    public Run withResume(boolean resume) {
      return new Run(out, seed, device, resume, validate);
    }

    public Run withValidate(boolean validate) {
      return new Run(out, seed, device, resume, validate);
    }
  }
}
