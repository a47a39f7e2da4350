package io.cmstream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Slow-only 3D ResNet backbone F: clip [B,3,T,H,W] -> feature map X [B,C,T',H',W']. Children:
 * {@code stem} (ConvUnit), then {@code res2}, {@code res3}, ... each a {@link ResStage}. The
 * optional stem max pool (1x3x3, stride 1x2x2, padding 0x1x1) has no parameters.
 */
public final class ResNet3d extends AbstractBlock {
  private final BackboneSpec spec;
  private final ConvUnit stem;
  private final List<ResStage> stages = new ArrayList<>();

  public ResNet3d(BackboneSpec spec) {
    this.spec = spec;
    stem =
        addChildBlock(
            "stem",
            new ConvUnit(
                spec.stemWidth(),
                new int[] {1, spec.stemKernel(), spec.stemKernel()},
                new int[] {1, spec.stemStride(), spec.stemStride()},
                1,
                true));
    int in = spec.stemWidth();
    int i = 2;
    for (StageSpec st : spec.stages()) {
      stages.add(addChildBlock("res" + i++, new ResStage(spec.bottleneck(), in, st)));
      in = st.outWidth();
    }
  }

  public BackboneSpec spec() {
    return spec;
  }

  public ConvUnit stem() {
    return stem;
  }

  public List<ResStage> stages() {
    return List.copyOf(stages);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = stem.forward(ps, inputs, training, params);
    if (spec.stemPool()) {
      x = new NDList(stemPool(x.singletonOrThrow()));
    }
    for (ResStage st : stages) {
      x = st.forward(ps, x, training, params);
    }
    return x;
  }

  private static NDArray stemPool(NDArray x) {
    return Pool.maxPool3d(x, new Shape(1, 3, 3), new Shape(1, 2, 2), new Shape(0, 1, 1), false);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] s = stem.getOutputShapes(inputShapes);
    if (spec.stemPool()) {
      s = new Shape[] {pooledShape(s[0])};
    }
    for (ResStage st : stages) {
      s = st.getOutputShapes(s);
    }
    return s;
  }

  private static Shape pooledShape(Shape s) {
    return new Shape(
        s.get(0), s.get(1), s.get(2), (s.get(3) + 2 - 3) / 2 + 1, (s.get(4) + 2 - 3) / 2 + 1);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    stem.initialize(manager, dataType, inputShapes);
    Shape[] s = stem.getOutputShapes(inputShapes);
    if (spec.stemPool()) {
      s = new Shape[] {pooledShape(s[0])};
    }
    for (ResStage st : stages) {
      st.initialize(manager, dataType, s);
      s = st.getOutputShapes(s);
    }
  }

  /** A residual stage: children {@code block1}, {@code block2}, ... */
  public static final class ResStage extends AbstractBlock {
    private final List<ResBlock> blocks = new ArrayList<>();

    ResStage(boolean bottleneck, int inWidth, StageSpec st) {
      int in = inWidth;
      for (int b = 0; b < st.blocks(); b++) {
        blocks.add(
            addChildBlock(
                "block" + (b + 1),
                new ResBlock(
                    bottleneck,
                    in,
                    st.innerWidth(),
                    st.outWidth(),
                    st.temporalKernel(),
                    b == 0 ? st.spatialStride() : 1,
                    st.dilation())));
        in = st.outWidth();
      }
    }

    public List<ResBlock> blocks() {
      return List.copyOf(blocks);
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDList x = inputs;
      for (ResBlock b : blocks) {
        x = b.forward(ps, x, training, params);
      }
      return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      Shape[] s = inputShapes;
      for (ResBlock b : blocks) {
        s = b.getOutputShapes(s);
      }
      return s;
    }

    @Override
    protected void initializeChildBlocks(
        NDManager manager, DataType dataType, Shape... inputShapes) {
      Shape[] s = inputShapes;
      for (ResBlock b : blocks) {
        b.initialize(manager, dataType, s);
        s = b.getOutputShapes(s);
      }
    }
  }
}
