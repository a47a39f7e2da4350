package io.cmstream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * PySlowFast / AIA detection head: temporal average pool -> RoIAlign (S x S, aligned) -> spatial
 * max pool -> fc1 (Linear C -> hidden) -> ReLU -> dropout -> fc2 (Linear hidden -> K) -> logits.
 * Children: {@code fc1}, {@code dropout}, {@code fc2}. Scores are sigmoid(logits).
 *
 * <p>With {@code hidden == 0} it is the sources' head (PySlowFast's {@code ResNetRoIHead},
 * MMAction2's {@code BBoxHeadAVA}): the same pooling, then dropout -> {@code projection} (Linear C
 * -> K). Children: {@code dropout}, {@code projection}.
 */
public final class AiaHead extends AbstractBlock {
  private final RoiAlign roiAlign;
  private final int hidden;
  private final int numClasses;
  private final Linear fc1;
  private final Dropout dropout;
  private final Linear fc2;
  private final Linear projection;

  public AiaHead(int hidden, int numClasses, float dropoutRate, RoiAlign roiAlign) {
    this.roiAlign = roiAlign;
    this.hidden = hidden;
    this.numClasses = numClasses;
    if (hidden == 0) {
      fc1 = null;
      fc2 = null;
      dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
      projection = addChildBlock("projection", Linear.builder().setUnits(numClasses).build());
    } else {
      fc1 = addChildBlock("fc1", Linear.builder().setUnits(hidden).build());
      dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
      fc2 = addChildBlock("fc2", Linear.builder().setUnits(numClasses).build());
      projection = null;
    }
  }

  /** True for the sources' one-layer head (no hidden layer). */
  public boolean linear() {
    return projection != null;
  }

  public RoiAlign roiAlign() {
    return roiAlign;
  }

  public int numClasses() {
    return numClasses;
  }

  /**
   * Pooled RoI features [R, C] of feature maps x [B, C, T, H, W] for normalised boxes [R, 4]
   * belonging to clips batchIndex (non-decreasing).
   */
  public NDArray roiFeatures(NDArray x, NDArray boxes, int[] batchIndex) {
    return maxOverBins(roiBins(x, boxes, batchIndex));
  }

  /**
   * The RoIAlign bins before the spatial max pool: [R, C, S*S] (temporal average pool, then
   * RoIAlign S x S). Linear in x, so a per-position linear map of x commutes with it.
   */
  public NDArray roiBins(NDArray x, NDArray boxes, int[] batchIndex) {
    NDArray pooled = x.mean(new int[] {2}); // [B, C, H, W]
    NDArray rois = roiAlign.apply(pooled, boxes, batchIndex); // [R, C, S, S]
    Shape rs = rois.getShape();
    return rois.reshape(batchIndex.length, x.getShape().get(1), rs.get(2) * rs.get(3));
  }

  /** The spatial max pool of RoI bins [R, C, S*S]: [R, C]. */
  public static NDArray maxOverBins(NDArray bins) {
    Shape s = bins.getShape();
    if (s.get(0) == 0) {
      return bins.reshape(0, s.get(1));
    }
    return bins.max(new int[] {2});
  }

  /** The MLP: pooled RoI features [R, C] -> logits [R, K]. */
  public NDArray classify(ParameterStore ps, NDArray roiFeats, boolean training) {
    if (projection != null) {
      NDList d = dropout.forward(ps, new NDList(roiFeats), training);
      return projection.forward(ps, d, training).singletonOrThrow();
    }
    NDList h = fc1.forward(ps, new NDList(roiFeats), training);
    h = new NDList(Activation.relu(h.singletonOrThrow()));
    h = dropout.forward(ps, h, training);
    return fc2.forward(ps, h, training).singletonOrThrow();
  }

  /** inputs: x [B,C,T,H,W], boxes [R,4], batch index [R] (int32) -> logits [R, K]. */
  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    int[] idx = inputs.get(2).toType(DataType.INT32, false).toIntArray();
    return new NDList(classify(ps, roiFeatures(inputs.get(0), inputs.get(1), idx), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[1].get(0), numClasses)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long c = inputShapes[0].get(1);
    if (projection != null) {
      dropout.initialize(manager, dataType, new Shape(1, c));
      projection.initialize(manager, dataType, new Shape(1, c));
      return;
    }
    fc1.initialize(manager, dataType, new Shape(1, c));
    dropout.initialize(manager, dataType, new Shape(1, hidden));
    fc2.initialize(manager, dataType, new Shape(1, hidden));
  }
}
