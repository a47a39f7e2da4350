package io.cmstream.trainer.train;

import io.cmstream.trainer.data.WindowSampling;
import io.cmstream.trainer.model.MemoryType;
import java.nio.file.Path;

/**
 * Everything {@code trainer train} can be told, with the defaults in one place.
 *
 * @param data dataset folder (PySlowFast AVA layout)
 * @param out run folder (checkpoints, metrics)
 * @param preset model preset (tiny, slow-r50)
 * @param clips N, clips per window
 * @param memory CM variant
 * @param epochs training epochs
 * @param batch B, clips per batch (B/N windows of N clips)
 * @param lr base learning rate for {@link #REFERENCE_BATCH} clips (linear scaling)
 * @param seed random seed (initialisation, sampling, augmentation)
 * @param initFrom stage-1 checkpoint folder to start from (parameters matched by name), or null
 * @param resume continue from {@code out/last}
 * @param device cpu or cuda
 * @param fps frame rate of the dataset's frame folders (0 = from the dataset, else 30)
 * @param proposalThreshold person proposals below this score are ignored
 * @param focalAlpha focal-loss alpha (negative: off)
 * @param focalGamma focal-loss gamma (0 with alpha off, the default: binary cross-entropy)
 * @param weightDecay SGD weight decay
 * @param momentum SGD momentum
 * @param warmupEpochs linear warm-up length in epochs
 * @param twoScan multi-iteration two-scan training (scan 1 builds G without gradient)
 * @param validate run validation frame-mAP after each epoch
 * @param crop input size in pixels (0: the preset's)
 * @param sampling how examples are cut: sliding (each clip reads its centred window) or tiled
 * @param backboneLrMult the backbone learns at this multiple of the learning rate (memory and head
 *     at the learning rate itself): below 1 fine-tunes a stage-1 backbone gently while the new
 *     memory and the head that reads it learn fast
 * @param memoryWarmupSteps full-batch steps of the {@link MemoryWarmup} before the first epoch
 *     (backbone frozen, memory and head on cached clip statistics); 0 = none
 * @param memoryWarmupLr peak learning rate of the memory warm-up (cosine schedule)
 * @param frozenBn the backbone's batch norm runs in inference mode while training (running
 *     statistics fixed, scale and shift trained), as in detection fine-tuning: stage 2 then sees
 *     the features its memory warm-up saw
 */
public record TrainOptions(
    Path data,
    Path out,
    String preset,
    int clips,
    MemoryType memory,
    int epochs,
    int batch,
    float lr,
    long seed,
    Path initFrom,
    boolean resume,
    String device,
    double fps,
    double proposalThreshold,
    float focalAlpha,
    float focalGamma,
    float weightDecay,
    float momentum,
    float warmupEpochs,
    boolean twoScan,
    boolean validate,
    int crop,
    WindowSampling sampling,
    float backboneLrMult,
    int memoryWarmupSteps,
    float memoryWarmupLr,
    boolean frozenBn) {

  /** The batch size the base learning rate is given for. */
  public static final int REFERENCE_BATCH = 16;

  /**
   * Default peak learning rate of the memory warm-up (full batch, loss averaged over boxes x
   * classes).
   */
  public static final float DEFAULT_WARMUP_LR = 2f;

  public TrainOptions {
    if (clips < 1) throw new IllegalArgumentException("--clips must be >= 1, got " + clips);
    if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
    if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
    if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
    if (!device.equals("cpu") && !device.equals("cuda")) {
      throw new IllegalArgumentException("--device must be cpu or cuda, got '" + device + "'");
    }
    if (crop != 0 && crop < 32) {
      throw new IllegalArgumentException("--crop must be >= 32 pixels, got " + crop);
    }
    if (sampling == null) throw new IllegalArgumentException("window sampling must be given");
    if (!(backboneLrMult >= 0) || Float.isInfinite(backboneLrMult)) {
      throw new IllegalArgumentException(
          "--backbone-lr-mult must be a number >= 0, got " + backboneLrMult);
    }
    if (memoryWarmupSteps < 0) {
      throw new IllegalArgumentException("--memory-warmup must be >= 0, got " + memoryWarmupSteps);
    }
    if (!(memoryWarmupLr > 0) || Float.isInfinite(memoryWarmupLr)) {
      throw new IllegalArgumentException("--memory-warmup-lr must be > 0, got " + memoryWarmupLr);
    }
    if (memoryWarmupSteps > 0 && initFrom == null && !resume) {
      throw new IllegalArgumentException(
          "--memory-warmup needs --init-from: it trains the memory on a stage-1 backbone's features");
    }
    if (twoScan && memory != MemoryType.DEFAULT) {
      throw new IllegalArgumentException("--two-scan needs --memory default");
    }
  }

  /** Defaults of the tiny preset on a dataset, to adjust with the withX methods. */
  public static TrainOptions defaults(Path data, Path out) {
    return new TrainOptions(
        data,
        out,
        "tiny",
        1,
        MemoryType.DEFAULT,
        8,
        16,
        0.1f,
        0,
        null,
        false,
        "cpu",
        0,
        0.5,
        -1f,
        0f,
        1e-4f,
        0.9f,
        1f,
        false,
        true,
        0,
        WindowSampling.SLIDING,
        1f,
        0,
        DEFAULT_WARMUP_LR,
        false);
  }

  /** The same options with another loss. */
  public TrainOptions withLoss(float focalAlpha, float focalGamma) {
    return new TrainOptions(
        data,
        out,
        preset,
        clips,
        memory,
        epochs,
        batch,
        lr,
        seed,
        initFrom,
        resume,
        device,
        fps,
        proposalThreshold,
        focalAlpha,
        focalGamma,
        weightDecay,
        momentum,
        warmupEpochs,
        twoScan,
        validate,
        crop,
        sampling,
        backboneLrMult,
        memoryWarmupSteps,
        memoryWarmupLr,
        frozenBn);
  }

  /** The same options with another base learning rate. */
  public TrainOptions withLr(float lr) {
    return new TrainOptions(
        data,
        out,
        preset,
        clips,
        memory,
        epochs,
        batch,
        lr,
        seed,
        initFrom,
        resume,
        device,
        fps,
        proposalThreshold,
        focalAlpha,
        focalGamma,
        weightDecay,
        momentum,
        warmupEpochs,
        twoScan,
        validate,
        crop,
        sampling,
        backboneLrMult,
        memoryWarmupSteps,
        memoryWarmupLr,
        frozenBn);
  }

  /** The same options with another window sampling. */
  public TrainOptions withSampling(WindowSampling sampling) {
    return new TrainOptions(
        data,
        out,
        preset,
        clips,
        memory,
        epochs,
        batch,
        lr,
        seed,
        initFrom,
        resume,
        device,
        fps,
        proposalThreshold,
        focalAlpha,
        focalGamma,
        weightDecay,
        momentum,
        warmupEpochs,
        twoScan,
        validate,
        crop,
        sampling,
        backboneLrMult,
        memoryWarmupSteps,
        memoryWarmupLr,
        frozenBn);
  }

  public TrainOptions with(int clips, MemoryType memory, int epochs, Path out, Path initFrom) {
    return new TrainOptions(
        data,
        out,
        preset,
        clips,
        memory,
        epochs,
        batch,
        lr,
        seed,
        initFrom,
        resume,
        device,
        fps,
        proposalThreshold,
        focalAlpha,
        focalGamma,
        weightDecay,
        momentum,
        warmupEpochs,
        twoScan,
        validate,
        crop,
        sampling,
        backboneLrMult,
        memoryWarmupSteps,
        memoryWarmupLr,
        frozenBn);
  }

  /** The same options with another backbone learning-rate multiplier. */
  public TrainOptions withBackboneLrMult(float backboneLrMult) {
    return new TrainOptions(
        data,
        out,
        preset,
        clips,
        memory,
        epochs,
        batch,
        lr,
        seed,
        initFrom,
        resume,
        device,
        fps,
        proposalThreshold,
        focalAlpha,
        focalGamma,
        weightDecay,
        momentum,
        warmupEpochs,
        twoScan,
        validate,
        crop,
        sampling,
        backboneLrMult,
        memoryWarmupSteps,
        memoryWarmupLr,
        frozenBn);
  }

  /**
   * The same options with a memory warm-up of {@code steps} full-batch steps at peak rate {@code
   * lr}.
   */
  public TrainOptions withMemoryWarmup(int steps, float lr) {
    return new TrainOptions(
        data,
        out,
        preset,
        clips,
        memory,
        epochs,
        batch,
        this.lr,
        seed,
        initFrom,
        resume,
        device,
        fps,
        proposalThreshold,
        focalAlpha,
        focalGamma,
        weightDecay,
        momentum,
        warmupEpochs,
        twoScan,
        validate,
        crop,
        sampling,
        backboneLrMult,
        steps,
        lr,
        frozenBn);
  }

  /** The same options with the backbone's batch norm frozen (or not) while training. */
  public TrainOptions withFrozenBn(boolean frozenBn) {
    return new TrainOptions(
        data,
        out,
        preset,
        clips,
        memory,
        epochs,
        batch,
        lr,
        seed,
        initFrom,
        resume,
        device,
        fps,
        proposalThreshold,
        focalAlpha,
        focalGamma,
        weightDecay,
        momentum,
        warmupEpochs,
        twoScan,
        validate,
        crop,
        sampling,
        backboneLrMult,
        memoryWarmupSteps,
        memoryWarmupLr,
        frozenBn);
  }
}
