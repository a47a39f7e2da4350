package io.cmstream.trainer.model;

import java.util.List;

/**
 * Layout of the Slow-only 3D ResNet: a stem (conv 1 x k x k, stride 1 x s x s, BN, ReLU, optional
 * 1x3x3 max pool stride 1x2x2) followed by residual stages.
 *
 * @param bottleneck true: 1x1 / 3x3 / 1x1 bottleneck blocks (ResNet-50); false: two 3x3 convs
 */
public record BackboneSpec(
    boolean bottleneck,
    int stemWidth,
    int stemKernel,
    int stemStride,
    boolean stemPool,
    List<StageSpec> stages) {
  public BackboneSpec {
    stages = List.copyOf(stages);
    if (stages.isEmpty() || stemWidth < 1 || stemKernel < 1 || stemStride < 1) {
      throw new IllegalArgumentException("invalid backbone spec");
    }
  }

  /** Channels of the last stage: C of the feature map X. */
  public int outChannels() {
    return stages.get(stages.size() - 1).outWidth();
  }

  /** Total spatial stride of the feature map relative to the input. */
  public int spatialStride() {
    int s = stemStride * (stemPool ? 2 : 1);
    for (StageSpec st : stages) {
      s *= st.spatialStride();
    }
    return s;
  }
}
