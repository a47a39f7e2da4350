package io.cmstream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * One residual block, output relu(branch(x) + shortcut(x)).
 *
 * <p>Basic: a = (kt x 3 x 3, stride) BN ReLU, b = (1 x 3 x 3) BN. Bottleneck (Slow-only): a = (kt x
 * 1 x 1) BN ReLU, b = (1 x 3 x 3, stride, dilation) BN ReLU, c = (1 x 1 x 1) BN. Shortcut {@code
 * proj} = (1 x 1 x 1, stride) BN when the shape changes, identity otherwise. Children in order: a,
 * b, [c], [proj].
 */
public final class ResBlock extends AbstractBlock {
  private final List<ConvUnit> branch = new ArrayList<>();
  private final ConvUnit proj;

  public ResBlock(
      boolean bottleneck,
      int inWidth,
      int innerWidth,
      int outWidth,
      int temporalKernel,
      int spatialStride,
      int dilation) {
    int[] s = {1, spatialStride, spatialStride};
    int[] one = {1, 1, 1};
    if (bottleneck) {
      branch.add(
          addChildBlock(
              "a", new ConvUnit(innerWidth, new int[] {temporalKernel, 1, 1}, one, 1, true)));
      branch.add(
          addChildBlock("b", new ConvUnit(innerWidth, new int[] {1, 3, 3}, s, dilation, true)));
      branch.add(addChildBlock("c", new ConvUnit(outWidth, one, one, 1, false)));
    } else {
      branch.add(
          addChildBlock(
              "a", new ConvUnit(outWidth, new int[] {temporalKernel, 3, 3}, s, dilation, true)));
      branch.add(
          addChildBlock("b", new ConvUnit(outWidth, new int[] {1, 3, 3}, one, dilation, false)));
    }
    proj =
        inWidth != outWidth || spatialStride != 1
            ? addChildBlock("proj", new ConvUnit(outWidth, one, s, 1, false))
            : null;
  }

  /** The convolutions of the residual branch, in order. */
  public List<ConvUnit> branch() {
    return List.copyOf(branch);
  }

  /** The projection shortcut, or null for identity. */
  public ConvUnit projection() {
    return proj;
  }

  /** The last BatchNorm of the branch (zero-initialised gamma: the block starts as identity). */
  public ConvUnit lastUnit() {
    return branch.get(branch.size() - 1);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = inputs;
    for (ConvUnit u : branch) {
      x = u.forward(ps, x, training, params);
    }
    NDArray shortcut =
        proj == null
            ? inputs.singletonOrThrow()
            : proj.forward(ps, inputs, training, params).singletonOrThrow();
    return new NDList(Activation.relu(x.singletonOrThrow().add(shortcut)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] s = inputShapes;
    for (ConvUnit u : branch) {
      s = u.getOutputShapes(s);
    }
    return s;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] s = inputShapes;
    for (ConvUnit u : branch) {
      u.initialize(manager, dataType, s);
      s = u.getOutputShapes(s);
    }
    if (proj != null) {
      proj.initialize(manager, dataType, inputShapes);
    }
  }
}
