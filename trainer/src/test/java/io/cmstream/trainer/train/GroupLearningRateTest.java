package io.cmstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.cmstream.trainer.data.ClipBatch;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryWindows;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.model.SigmoidFocalLoss;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupLearningRateTest {
  private static final int K = 3;

  private static ClipBatch batch(ModelConfig cfg) {
    int t = cfg.frames();
    int s = cfg.cropSize();
    Random rnd = new Random(7);
    float[] clips = new float[2 * 3 * t * s * s];
    for (int i = 0; i < clips.length; i++) {
      clips[i] = (float) rnd.nextGaussian();
    }
    float[] boxes = {0.1f, 0.2f, 0.6f, 0.9f, 0.3f, 0.1f, 0.9f, 0.7f};
    return new ClipBatch(
        clips,
        2,
        t,
        s,
        s,
        boxes,
        new int[] {0, 1},
        new float[] {1, 0, 0, 0, 1, 1},
        K,
        MemoryWindows.whole(2));
  }

  /**
   * Sum over a block's parameters of |after - before| after one SGD step (no momentum, no decay).
   */
  private static Map<String, Double> stepMoves(float backboneMult) {
    ModelConfig cfg = ModelConfig.preset("tiny", K).withInput(4, 4, 32);
    Engine.getInstance().setRandomSeed(0);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(manager);
      // the memory's W starts non-zero, so every memory map gets a gradient
      GroupLearningRate rates =
          new GroupLearningRate(Tracker.fixed(0.05f)).with(model.backbone(), backboneMult);
      Optimizer sgd = Optimizer.sgd().setLearningRateTracker(rates).build();
      ParameterStore store = new ParameterStore(manager, false);
      store.setParameterServer(new LocalParameterServer(sgd), new Device[] {Device.cpu()});
      Map<String, float[]> before = new HashMap<>();
      for (Pair<String, Parameter> p : model.getParameters()) {
        before.put(p.getKey(), p.getValue().getArray().toFloatArray());
      }
      TrainingStep step = new TrainingStep(model, store, new SigmoidFocalLoss(-1f, 0f), false, 2);
      assertTrue(Float.isFinite(step.run(batch(cfg), manager)));
      Map<String, Double> moves = new HashMap<>();
      for (Block b : new Block[] {model.backbone(), model.memory(), model.head()}) {
        double sum = 0;
        for (Pair<String, Parameter> p : b.getParameters()) {
          if (!p.getValue().requiresGradient()) {
            continue; // batch-norm running statistics move with the forward pass, not the optimiser
          }
          NDArray a = p.getValue().getArray();
          float[] now = a.toFloatArray();
          float[] was =
              before.get(
                  model.getParameters().stream()
                      .filter(q -> q.getValue() == p.getValue())
                      .findFirst()
                      .orElseThrow()
                      .getKey());
          for (int i = 0; i < now.length; i++) {
            sum += Math.abs(now[i] - was[i]);
          }
        }
        moves.put(
            b == model.backbone() ? "backbone" : b == model.memory() ? "memory" : "head", sum);
      }
      return moves;
    }
  }

  @Test
  void shouldScaleOnlyTheBackbonesStep() {
    Map<String, Double> full = stepMoves(1f);
    Map<String, Double> half = stepMoves(0.5f);
    Map<String, Double> frozen = stepMoves(0f);
    assertTrue(
        full.get("backbone") > 0 && full.get("memory") > 0 && full.get("head") > 0,
        full.toString());
    assertEquals(
        0.5, half.get("backbone") / full.get("backbone"), 1e-3, "backbone at half the rate");
    assertEquals(0.0, frozen.get("backbone"), 0.0, "backbone with multiplier 0 stays put");
    for (Map<String, Double> m : java.util.List.of(half, frozen)) {
      assertEquals(
          full.get("memory"),
          m.get("memory"),
          1e-6 * full.get("memory"),
          "memory at the base rate");
      assertEquals(
          full.get("head"), m.get("head"), 1e-6 * full.get("head"), "head at the base rate");
    }
  }

  @Test
  void shouldRejectANegativeOrInfiniteMultiplier() {
    ModelConfig cfg = ModelConfig.preset("tiny", K).withInput(4, 4, 32);
    CmDetector model = new CmDetector(cfg);
    assertThrows(
        IllegalArgumentException.class,
        () -> new GroupLearningRate(Tracker.fixed(1f)).with(model, -1f));
    assertThrows(
        IllegalArgumentException.class,
        () -> new GroupLearningRate(Tracker.fixed(1f)).with(model, Float.POSITIVE_INFINITY));
  }
}
