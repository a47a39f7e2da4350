package io.cmstream.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.cmstream.trainer.data.ClipBatch;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.CollaborativeMemory;
import io.cmstream.trainer.model.SigmoidFocalLoss;
import io.cmstream.trainer.model.TorchScalars;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer step on a batch: forward, focal loss over all boxes of all labelled clips,
 * backward, SGD update, gradients zeroed. Arrays of the step live in a sub-manager closed at the
 * end. In two-scan mode (DEFAULT memory, for large N on small memory) scan 1 computes every clip's
 * contribution to G without gradient; scan 2 runs the clips in chunks with gradient, each clip's G
 * = (scan-1 contributions of the other clips of its memory window, constant, + the chunk's own,
 * differentiable) / sum L, and back-propagates each chunk's share of the loss, so peak memory is
 * one chunk's graph. The forward values equal the plain step's (up to batch-norm statistics).
 */
public final class TrainingStep {
  private final CmDetector model;
  private final ParameterStore store;
  private final SigmoidFocalLoss loss;
  private final boolean twoScan;
  private final int chunk;
  private final boolean frozenBn;
  private int skipped;

  /**
   * @param chunk clips per scan-2 forward pass (two-scan mode)
   */
  public TrainingStep(
      CmDetector model, ParameterStore store, SigmoidFocalLoss loss, boolean twoScan, int chunk) {
    this(model, store, loss, twoScan, chunk, false);
  }

  /**
   * @param chunk clips per scan-2 forward pass (two-scan mode)
   * @param frozenBn the backbone's batch norm in inference mode ({@link
   *     CmDetector#FROZEN_BN_PARAM})
   */
  public TrainingStep(
      CmDetector model,
      ParameterStore store,
      SigmoidFocalLoss loss,
      boolean twoScan,
      int chunk,
      boolean frozenBn) {
    this.model = model;
    this.store = store;
    this.loss = loss;
    this.twoScan = twoScan;
    this.chunk = Math.max(1, chunk);
    this.frozenBn = frozenBn;
  }

  /** Runs the step and returns the batch loss. */
  public float run(ClipBatch batch, NDManager parent) {
    float value;
    try (NDManager m = parent.newSubManager()) {
      value = twoScan ? twoScan(batch, m) : plain(batch, m);
    }
    if (Float.isFinite(value) && gradientsFinite()) {
      store.updateAllParameters();
    }
    zeroGradients(model); // after a skipped update too: do not let inf/NaN gradients linger
    return value;
  }

  /** One sum over every gradient's sum (a single host read): finite iff all gradients are. */
  private boolean gradientsFinite() {
    List<NDArray> temp = new ArrayList<>();
    try {
      NDList sums = new NDList();
      for (Pair<String, Parameter> p : model.getParameters()) {
        NDArray a = p.getValue().getArray();
        if (a != null && a.hasGradient()) {
          NDArray g = a.getGradient();
          temp.add(g);
          sums.add(g.sum());
        }
      }
      temp.addAll(sums);
      if (sums.isEmpty()) {
        return true;
      }
      NDArray stacked = NDArrays.stack(sums);
      temp.add(stacked);
      NDArray total = stacked.sum();
      temp.add(total);
      if (Float.isFinite(total.getFloat())) {
        return true;
      }
    } finally {
      temp.forEach(NDArray::close);
    }
    skipped++;
    return false;
  }

  /** Steps whose gradients were not finite (update skipped). */
  public int skippedSteps() {
    return skipped;
  }

  private float plain(ClipBatch batch, NDManager m) {
    NDList in = batch.inputs(m);
    PairList<String, Object> params = new PairList<>();
    params.add(CollaborativeMemory.CLIPS_PARAM, batch.memoryWindows());
    params.add(CmDetector.FROZEN_BN_PARAM, frozenBn);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray logits = model.forward(store, in, true, params).singletonOrThrow();
      NDArray l = loss.evaluate(new NDList(batch.labels(m)), new NDList(logits));
      gc.backward(l);
      return l.getFloat();
    }
  }

  private float twoScan(ClipBatch batch, NDManager m) {
    NDList in = batch.inputs(m);
    NDArray clips = in.get(0);
    NDArray labels = batch.labels(m);
    int[] boxClip = batch.boxClip();
    int b = batch.clipCount();
    CollaborativeMemory mem = model.memory();
    // scan 1: every clip's contribution phi^T psi, without gradient, flattened to [B, C'C']
    NDArray x1 = model.features(store, clips, !frozenBn);
    NDArray scan1 = mem.contribution(store, x1, true);
    long cp = scan1.getShape().get(1);
    scan1 = scan1.reshape(b, cp * cp);
    // A [B, B]: row i averages clip i's memory window, divided by L
    NDArray avg = batch.memoryWindows().averaging(m, (float) CollaborativeMemory.positions(x1));
    float total = 0;
    int r = batch.boxCount();
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      // scan 2: chunks of clips with boxes, each conditioned on its memory windows; the chunk's
      // own contributions are differentiable, the rest are scan 1's constants
      for (int c0 = 0; c0 < b; c0 += chunk) {
        int c1 = Math.min(b, c0 + chunk);
        int b0 = firstBox(boxClip, c0);
        int b1 = firstBox(boxClip, c1);
        if (b1 == b0) {
          continue;
        }
        String rows = c0 + ":" + c1;
        NDArray x = model.features(store, clips.get(rows), !frozenBn);
        NDArray own = mem.contribution(store, x, true).reshape(c1 - c0, cp * cp);
        NDArray rowsA = avg.get(rows);
        NDArray g =
            rowsA
                .matMul(scan1)
                .add(rowsA.get(":, " + rows).matMul(own.sub(scan1.get(rows))))
                .reshape(c1 - c0, cp, cp);
        NDArray gate = mem.gate(store, mem.key(store, x, true), g, true);
        int[] idx = new int[b1 - b0];
        for (int i = 0; i < idx.length; i++) {
          idx[i] = boxClip[b0 + i] - c0;
        }
        // gate the pooled RoI features (= pooling the gated map, docs/DESIGN.md section 2)
        NDArray feats =
            model
                .head()
                .roiFeatures(x, in.get(1).get(b0 + ":" + b1), idx)
                .mul(CollaborativeMemory.perBox(gate, idx));
        NDArray logits = model.head().classify(store, feats, true);
        NDArray l =
            TorchScalars.mul(
                loss.evaluate(new NDList(labels.get(b0 + ":" + b1)), new NDList(logits)),
                (float) (b1 - b0) / r);
        gc.backward(l);
        total += l.getFloat();
      }
    }
    return total;
  }

  private static int firstBox(int[] boxClip, int clip) {
    int i = 0;
    while (i < boxClip.length && boxClip[i] < clip) {
      i++;
    }
    return i;
  }

  /**
   * Zeroes every parameter gradient in place, in the gradient's own torch storage ({@code zero_()},
   * which also clears NaN/inf). Never {@code NDArray.set} a gradient: on the CPU, DJL's set
   * re-points the tensor's storage at a Java direct buffer that only the (short-lived) gradient
   * NDArray keeps alive; once it is closed and collected, backward accumulates into freed memory
   * ({@code free(): invalid size}).
   */
  static void zeroGradients(ai.djl.nn.Block model) {
    for (Pair<String, Parameter> p : model.getParameters()) {
      NDArray a = p.getValue().getArray();
      if (a != null && a.hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) a);
      }
    }
  }
}
