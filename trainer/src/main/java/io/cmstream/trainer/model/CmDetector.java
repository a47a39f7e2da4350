package io.cmstream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * The whole detector: backbone F -> collaborative memory -> AIA head. Children, in order: {@code
 * backbone} ({@link ResNet3d}), {@code memory} ({@link CollaborativeMemory}), {@code head} ({@link
 * AiaHead}).
 *
 * <p>Forward inputs: clips [B, 3, T, H, W] (B/N windows of N consecutive clips), boxes [R, 4]
 * (normalised x1,y1,x2,y2), box clip index [R] (int32, non-decreasing). Forward parameter {@link
 * CollaborativeMemory#CLIPS_PARAM} = N, int[] window sizes or MemoryWindows. Output: logits [R, K].
 */
public final class CmDetector extends AbstractBlock {
  private static final byte VERSION = 1;

  /**
   * Forward parameter: when {@code true}, the backbone's batch norm runs in inference mode (running
   * statistics, not updated) even in training, as detection fine-tuning usually does; its scale and
   * shift still train.
   */
  public static final String FROZEN_BN_PARAM = "frozenBatchNorm";

  private final ModelConfig config;
  private final ResNet3d backbone;
  private final CollaborativeMemory memory;
  private final AiaHead head;

  public CmDetector(ModelConfig config) {
    super(VERSION);
    this.config = config;
    backbone = addChildBlock("backbone", new ResNet3d(config.backbone()));
    memory =
        addChildBlock(
            "memory",
            new CollaborativeMemory(config.memory(), config.channels(), config.reduction()));
    head =
        addChildBlock(
            "head",
            new AiaHead(
                config.hidden(),
                config.numClasses(),
                config.dropout(),
                new RoiAlign(config.roiSize(), config.samplingRatio(), config.legacyRoiAlign())));
    setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2f),
        Parameter.Type.WEIGHT);
    head.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
  }

  public ModelConfig config() {
    return config;
  }

  public ResNet3d backbone() {
    return backbone;
  }

  public CollaborativeMemory memory() {
    return memory;
  }

  public AiaHead head() {
    return head;
  }

  /** Input shape of one batch of b clips. */
  public Shape clipShape(int b) {
    return new Shape(b, 3, config.frames(), config.cropSize(), config.cropSize());
  }

  /**
   * Initialises all parameters; the last BN of every residual branch starts at gamma = 0, and so
   * does the residual memory's W: both branches start as the identity (as non-local blocks start
   * their last layer at zero), so a stage-2 run begins from what stage 1 learnt instead of adding a
   * random infusion to every position of its features.
   */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, clipShape(1), new Shape(1, 4), new Shape(1));
    for (ResNet3d.ResStage st : backbone.stages()) {
      for (ResBlock b : st.blocks()) {
        b.lastUnit().batchNorm().getParameters().get("gamma").getArray().muli(0);
      }
    }
    if (memory.type() == MemoryType.RESIDUAL) {
      memory.wMap().getParameters().get("weight").getArray().muli(0);
    }
  }

  /** X = F(clips): [B, C, T', H', W']. */
  public NDArray features(ParameterStore ps, NDArray clips, boolean training) {
    return backbone.forward(ps, new NDList(clips), training).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    boolean frozenBn = params != null && Boolean.TRUE.equals(params.get(FROZEN_BN_PARAM));
    NDArray x = features(ps, inputs.get(0), training && !frozenBn);
    MemoryWindows windows = CollaborativeMemory.windows(params, x.getShape().get(0));
    int[] idx = inputs.get(2).toType(DataType.INT32, false).toIntArray();
    return new NDList(
        head.classify(
            ps, memoryRoiFeatures(ps, x, inputs.get(1), idx, windows, training), training));
  }

  /**
   * Pooled RoI features [R, C] of the memory-enhanced map Xhat. The gating variants gate the pooled
   * features (equal to pooling the gated map, docs/DESIGN.md section 2, and much cheaper); the
   * residual variant changes every position and goes through the whole map.
   */
  public NDArray memoryRoiFeatures(
      ParameterStore ps,
      NDArray x,
      NDArray boxes,
      int[] boxClip,
      MemoryWindows windows,
      boolean training) {
    NDArray gate = memory.channelGate(ps, x, windows, training);
    if (gate == null) {
      return head.roiFeatures(memory.apply(ps, x, windows, training), boxes, boxClip);
    }
    return head.roiFeatures(x, boxes, boxClip).mul(CollaborativeMemory.perBox(gate, boxClip));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[1].get(0), config.numClasses())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes[0]);
    Shape x = backbone.getOutputShapes(new Shape[] {inputShapes[0]})[0];
    memory.initialize(manager, dataType, x);
    head.initialize(manager, dataType, x, inputShapes[1], inputShapes[2]);
  }
}
