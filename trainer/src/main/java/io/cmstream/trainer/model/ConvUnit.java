package io.cmstream.trainer.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Conv3d (no bias) + BatchNorm (+ ReLU). Children: {@code conv}, {@code bn}. "Same" padding:
 * (k-1)/2 * dilation on each axis.
 */
public final class ConvUnit extends AbstractBlock {
  private final Conv3d conv;
  private final BatchNorm bn;
  private final boolean relu;
  private final int[] kernel;
  private final int[] stride;
  private final int dilation;
  private final int filters;

  /**
   * @param kernel {kt, kh, kw}
   * @param stride {st, sh, sw}
   * @param dilation spatial dilation
   */
  public ConvUnit(int filters, int[] kernel, int[] stride, int dilation, boolean relu) {
    this.kernel = kernel.clone();
    this.stride = stride.clone();
    this.dilation = dilation;
    this.filters = filters;
    this.relu = relu;
    conv =
        addChildBlock(
            "conv",
            Conv3d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel[0], kernel[1], kernel[2]))
                .optStride(new Shape(stride[0], stride[1], stride[2]))
                .optPadding(
                    new Shape(
                        (kernel[0] - 1) / 2,
                        (kernel[1] - 1) / 2 * dilation,
                        (kernel[2] - 1) / 2 * dilation))
                .optDilation(new Shape(1, dilation, dilation))
                .optBias(false)
                .build());
    bn = addChildBlock("bn", BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
  }

  public int filters() {
    return filters;
  }

  public int[] kernel() {
    return kernel.clone();
  }

  public int[] stride() {
    return stride.clone();
  }

  public int dilation() {
    return dilation;
  }

  public boolean hasRelu() {
    return relu;
  }

  public BatchNorm batchNorm() {
    return bn;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = conv.forward(ps, inputs, training, params);
    x = bn.forward(ps, x, training, params);
    return relu ? new NDList(Activation.relu(x.singletonOrThrow())) : x;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return conv.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    conv.initialize(manager, dataType, inputShapes);
    bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
  }
}
