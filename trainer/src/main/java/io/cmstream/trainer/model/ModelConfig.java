package io.cmstream.trainer.model;

import io.cmstream.common.clip.ClipSpec;
import java.util.List;
import java.util.Locale;

/**
 * Every setting of the detector in one commented place (PySlowFast style). Saved as {@code
 * model.json} next to each checkpoint so that evaluation and export rebuild the same model.
 *
 * @param preset name of the preset this config came from
 * @param backbone 3D ResNet layout
 * @param frames T, frames per clip
 * @param frameStride tau, frame stride at the dataset fps
 * @param cropSize square input side in pixels (training crop = test resize)
 * @param memory collaborative-memory variant
 * @param reduction r: C' = C / r
 * @param numClasses K
 * @param hidden width of the head MLP's hidden layer
 * @param dropout dropout rate of the head MLP
 * @param roiSize RoIAlign output side (7)
 * @param samplingRatio RoIAlign sampling points per bin side; 0 = adaptive, ceil(box side /
 *     roiSize) per box (PySlowFast's and MMAction2's heads)
 * @param legacyRoiAlign true: RoIAlign without the half-pixel shift ({@code aligned=False},
 *     PySlowFast's Caffe2 models); false: aligned (the default)
 * @param input the clips' normalisation and evaluation size when not the project's default (null:
 *     PySlowFast's default mean/std, square {@code cropSize})
 */
public record ModelConfig(
    String preset,
    BackboneSpec backbone,
    int frames,
    int frameStride,
    int cropSize,
    MemoryType memory,
    int reduction,
    int numClasses,
    int hidden,
    float dropout,
    int roiSize,
    int samplingRatio,
    boolean legacyRoiAlign,
    InputNormalization input) {

  public ModelConfig {
    if (frames < 1
        || frameStride < 1
        || cropSize < 8
        || reduction < 1
        || numClasses < 1
        || hidden < 0
        || dropout < 0
        || dropout >= 1
        || roiSize < 1
        || samplingRatio < 0) {
      throw new IllegalArgumentException("invalid model config");
    }
    if (backbone.outChannels() % reduction != 0) {
      throw new IllegalArgumentException("C must be divisible by the reduction ratio r");
    }
  }

  /** A config with the default RoIAlign (aligned) and input normalisation. */
  public ModelConfig(
      String preset,
      BackboneSpec backbone,
      int frames,
      int frameStride,
      int cropSize,
      MemoryType memory,
      int reduction,
      int numClasses,
      int hidden,
      float dropout,
      int roiSize,
      int samplingRatio) {
    this(
        preset,
        backbone,
        frames,
        frameStride,
        cropSize,
        memory,
        reduction,
        numClasses,
        hidden,
        dropout,
        roiSize,
        samplingRatio,
        false,
        null);
  }

  /**
   * True when the head is one linear layer C -> K (hidden = 0, the sources' heads), false for the
   * MLP.
   */
  public boolean linearHead() {
    return hidden == 0;
  }

  /** C: channels of the feature map. */
  public int channels() {
    return backbone.outChannels();
  }

  /** C' = C / r. */
  public int memoryChannels() {
    return channels() / reduction;
  }

  /**
   * The clip spec of this model at a dataset's frame rate: square training crops of the model's
   * input size; evaluation at the same size, or at an imported model's own short side and
   * normalisation.
   */
  public ClipSpec clipSpec(double fps) {
    if (input != null) {
      return new ClipSpec(
          frames, frameStride, fps, input.shortSide(), cropSize, input.mean(), input.std());
    }
    return new ClipSpec(
        frames, frameStride, fps, cropSize, cropSize, ClipSpec.DEFAULT_MEAN, ClipSpec.DEFAULT_STD);
  }

  public ModelConfig withMemory(MemoryType m) {
    return new ModelConfig(
        preset,
        backbone,
        frames,
        frameStride,
        cropSize,
        m,
        reduction,
        numClasses,
        hidden,
        dropout,
        roiSize,
        samplingRatio,
        legacyRoiAlign,
        input);
  }

  public ModelConfig withNumClasses(int k) {
    return new ModelConfig(
        preset,
        backbone,
        frames,
        frameStride,
        cropSize,
        memory,
        reduction,
        k,
        hidden,
        dropout,
        roiSize,
        samplingRatio,
        legacyRoiAlign,
        input);
  }

  public ModelConfig withInput(int t, int tau, int crop) {
    return new ModelConfig(
        preset,
        backbone,
        t,
        tau,
        crop,
        memory,
        reduction,
        numClasses,
        hidden,
        dropout,
        roiSize,
        samplingRatio,
        legacyRoiAlign,
        input);
  }

  /**
   * The preset's config for K classes on a dataset of the given frame rate: the tiny preset's frame
   * stride spans one second.
   */
  public static ModelConfig presetAt(String name, int numClasses, double fps) {
    ModelConfig cfg = preset(name, numClasses);
    if (cfg.preset().equals("tiny")) {
      int tau = (int) Math.max(1, Math.round(fps / cfg.frames()));
      cfg = cfg.withInput(cfg.frames(), tau, cfg.cropSize());
    }
    return cfg;
  }

  /**
   * Presets. {@code tiny}: basic blocks 16-32-64 (the last with spatial stride 1, like res5 of the
   * detection backbone: feature stride 4), T=4, 96 px: a CPU model for the synthetic data, whose
   * persons are only ~10 x 25 pixels. {@code slow-r50}: PySlowFast's SLOW_8x8_R50 detection
   * backbone (T=8, tau=8, 224 px, bottleneck 3-4-6-3, temporal kernels only in res4/res5, res5
   * spatial stride 1 dilation 2).
   */
  public static ModelConfig preset(String name, int numClasses) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "tiny" ->
          new ModelConfig(
              "tiny",
              new BackboneSpec(
                  false,
                  16,
                  3,
                  2,
                  false,
                  List.of(
                      new StageSpec(1, 16, 16, 1, 1, 1),
                      new StageSpec(1, 32, 32, 1, 2, 1),
                      new StageSpec(1, 64, 64, 3, 1, 1))),
              4,
              4,
              96,
              MemoryType.DEFAULT,
              4,
              numClasses,
              64,
              0.3f,
              7,
              2);
      case "slow-r50" ->
          new ModelConfig(
              "slow-r50",
              new BackboneSpec(
                  true,
                  64,
                  7,
                  2,
                  true,
                  List.of(
                      new StageSpec(3, 64, 256, 1, 1, 1),
                      new StageSpec(4, 128, 512, 1, 2, 1),
                      new StageSpec(6, 256, 1024, 3, 2, 1),
                      new StageSpec(3, 512, 2048, 3, 1, 2))),
              8,
              8,
              224,
              MemoryType.DEFAULT,
              4,
              numClasses,
              1024,
              0.5f,
              7,
              2);
      default ->
          throw new IllegalArgumentException(
              "unknown preset '" + name + "' (expected tiny or slow-r50)");
    };
  }
}
