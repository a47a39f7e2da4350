package io.cmstream.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.cmstream.trainer.model.AiaHead;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.CollaborativeMemory;
import io.cmstream.trainer.model.SigmoidFocalLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The memory warm-up of stage 2: with the backbone frozen, the memory and the head train on {@link
 * ClipStatistics} of all training clips at once (full batch), SGD with momentum 0.9, weight decay
 * 1e-4 and a cosine schedule from {@code lr}. Everything downstream of the backbone is computed
 * from the statistics exactly as from the clips (docs/DESIGN.md section 2), so a step costs
 * milliseconds instead of a pass over the videos.
 *
 * <p>Why: a context class is carried by a few boxes per mini-batch, and at the start of stage 2 the
 * head scores the context classes alike (stage 1 could not tell them apart), so the memory gets a
 * weak, noisy gradient. On the synthetic set the memory learned the context from full-batch
 * gradients within a few hundred steps, and not in 40 epochs of 20-clip mini-batches (trainer
 * README). The end-to-end fine-tuning that follows keeps what the warm-up found.
 */
public final class MemoryWarmup {
  /** Called after each step with the step (1-based), its loss and the store to evaluate with. */
  @FunctionalInterface
  public interface StepListener {
    void after(int step, float loss, ParameterStore store, NDManager stepManager);
  }

  private final CmDetector model;
  private final int steps;
  private final float lr;

  public MemoryWarmup(CmDetector model, int steps, float lr) {
    if (steps < 1)
      throw new IllegalArgumentException("memory warm-up steps must be >= 1, got " + steps);
    if (!(lr > 0) || Float.isInfinite(lr)) {
      throw new IllegalArgumentException("memory warm-up learning rate must be > 0, got " + lr);
    }
    this.model = model;
    this.steps = steps;
    this.lr = lr;
  }

  /** The last step's loss and the peak learning rate the warm-up ran at. */
  public record Result(float loss, float lr) {}

  /** Halvings of the learning rate tried after a diverged warm-up. */
  static final int MAX_BACKOFFS = 5;

  /**
   * Trains memory and head on {@code train}. If the loss stops being finite, memory and head go
   * back to where they started and the warm-up starts again at half the learning rate (at most
   * {@value #MAX_BACKOFFS} times): the residual variant's infusion is cubic in the features and
   * diverges where the gating variants do not.
   */
  public Result run(
      ClipStatistics.Windowed train,
      SigmoidFocalLoss loss,
      NDManager manager,
      StepListener listener) {
    List<Parameter> trained = new ArrayList<>();
    for (Block b : new Block[] {model.memory(), model.head()}) {
      for (Pair<String, Parameter> p : b.getParameters()) {
        trained.add(p.getValue());
      }
    }
    List<float[]> start = new ArrayList<>();
    for (Parameter p : trained) {
      start.add(p.getArray().toFloatArray());
    }
    float rate = lr;
    for (int attempt = 0; ; attempt++) {
      float last = train(train, loss, rate, manager, listener);
      if (Float.isFinite(last)) {
        return new Result(last, rate);
      }
      if (attempt == MAX_BACKOFFS) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "memory warm-up: the loss is not finite even at learning rate %s; lower --memory-warmup-lr",
                rate));
      }
      for (int i = 0; i < trained.size(); i++) {
        NDArray a = trained.get(i).getArray();
        a.set(start.get(i));
      }
      rate /= 2;
    }
  }

  /** One warm-up at peak rate {@code rate}; NaN as soon as a loss is not finite. */
  private float train(
      ClipStatistics.Windowed train,
      SigmoidFocalLoss loss,
      float rate,
      NDManager manager,
      StepListener listener) {
    Optimizer sgd =
        Optimizer.sgd()
            .setLearningRateTracker(new WarmupCosine(rate, 0, steps, 1f, 0.01f))
            .optMomentum(0.9f)
            .optWeightDecays(1e-4f)
            .optClipGrad(10f)
            .build();
    try (NDManager wm = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(wm, false);
      ps.setParameterServer(new LocalParameterServer(sgd), new Device[] {manager.getDevice()});
      float last = Float.NaN;
      for (int step = 1; step <= steps; step++) {
        try (NDManager sm = wm.newSubManager()) {
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l =
                loss.evaluate(
                    new NDList(train.clips().targets()), new NDList(logits(ps, train, sm, true)));
            gc.backward(l);
            last = l.getFloat();
          }
          if (!Float.isFinite(last)) {
            TrainingStep.zeroGradients(model);
            return Float.NaN;
          }
          // only the memory and the head are in this store: the frozen backbone never enters it
          ps.updateAllParameters();
          TrainingStep.zeroGradients(model);
          listener.after(step, last, ps, sm);
        }
      }
      return last;
    }
  }

  /**
   * Logits [R, K] of every box of {@code s}; every array of the computation lives in {@code sm}.
   */
  public NDArray logits(
      ParameterStore ps, ClipStatistics.Windowed s, NDManager sm, boolean training) {
    CollaborativeMemory mem = model.memory();
    ClipStatistics c = s.clips();
    NDArray bins = view(c.roiBins(), sm);
    NDArray selection = view(c.boxSelection(), sm);
    NDArray feats;
    switch (mem.type()) {
      case NONE:
        feats = AiaHead.maxOverBins(bins);
        break;
      case DEFAULT:
        {
          NDArray g = mem.contributionOfMoments(ps, view(s.memoryMoments(), sm), training);
          NDArray gate =
              mem.gate(ps, mem.keyOfMean(ps, view(c.means(), sm), training), g, training);
          feats = AiaHead.maxOverBins(bins).mul(selection.matMul(gate));
          break;
        }
      case AVGPOOL:
        {
          NDArray gate =
              mem.pooledGate(
                  ps, mem.pooledPhiOfMean(ps, view(s.memoryMeans(), sm), training), training);
          feats = AiaHead.maxOverBins(bins).mul(selection.matMul(gate));
          break;
        }
      case RESIDUAL:
        {
          // each box reads its clip's memory; the infusion is linear per position, so it applies to
          // the bins
          NDArray g = mem.contributionOfMoments(ps, view(s.memoryMoments(), sm), training);
          Shape gs = g.getShape();
          NDArray boxMemory =
              selection.matMul(g.reshape(gs.get(0), -1)).reshape(-1, gs.get(1), gs.get(2));
          feats = AiaHead.maxOverBins(bins.add(mem.residual(ps, bins, boxMemory, training)));
          break;
        }
      default:
        throw new IllegalStateException(mem.type().name());
    }
    return model.head().classify(ps, feats, training);
  }

  /**
   * A view of a long-lived array owned by {@code sm}, so results computed from it close with it.
   */
  private static NDArray view(NDArray a, NDManager sm) {
    NDArray v = a.reshape(a.getShape());
    v.attach(sm);
    return v;
  }
}
