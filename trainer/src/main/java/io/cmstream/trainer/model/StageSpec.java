package io.cmstream.trainer.model;

/**
 * One residual stage of the 3D ResNet.
 *
 * @param blocks number of residual blocks
 * @param innerWidth bottleneck width (ignored by basic blocks)
 * @param outWidth output channels
 * @param temporalKernel temporal kernel of the first conv of each block (1 = purely spatial,
 *     Slow-only uses 3 only in res4/res5)
 * @param spatialStride spatial stride of the first block
 * @param dilation spatial dilation of the 3x3 convs (2 in res5 of the detection backbone)
 */
public record StageSpec(
    int blocks, int innerWidth, int outWidth, int temporalKernel, int spatialStride, int dilation) {
  public StageSpec {
    if (blocks < 1
        || outWidth < 1
        || innerWidth < 1
        || temporalKernel < 1
        || temporalKernel % 2 == 0
        || spatialStride < 1
        || dilation < 1) {
      throw new IllegalArgumentException("invalid stage spec");
    }
  }
}
