package io.cmstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.MemoryWindows;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.model.SigmoidFocalLoss;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MemoryWarmupTest {
  private static final int K = 3;
  private static final int[] SPANS = {4, 3}; // two videos: 4 and 3 consecutive seconds
  private static final int[] BOX_CLIP = {0, 0, 1, 2, 3, 4, 4, 5, 6};

  private static NDArray boxes(NDManager m) {
    Random rnd = new Random(3);
    float[] b = new float[BOX_CLIP.length * 4];
    for (int r = 0; r < BOX_CLIP.length; r++) {
      float x1 = rnd.nextFloat() * 0.6f;
      float y1 = rnd.nextFloat() * 0.6f;
      b[r * 4] = x1;
      b[r * 4 + 1] = y1;
      b[r * 4 + 2] = x1 + 0.1f + rnd.nextFloat() * 0.3f;
      b[r * 4 + 3] = y1 + 0.1f + rnd.nextFloat() * 0.3f;
    }
    return m.create(b, new Shape(BOX_CLIP.length, 4));
  }

  private static NDArray targets(NDManager m) {
    float[] t = new float[BOX_CLIP.length * K];
    for (int r = 0; r < BOX_CLIP.length; r++) {
      t[r * K + r % K] = 1f;
    }
    return m.create(t, new Shape(BOX_CLIP.length, K));
  }

  /** A random W (Linear C' -> C) for the memory variants that have one. */
  private static void randomW(CmDetector model, NDManager m) {
    if (model.memory().wMap() != null) {
      NDArray w = model.memory().wMap().getParameters().get("weight").getArray();
      w.set(m.randomNormal(0f, 0.2f, w.getShape(), w.getDataType()).toFloatArray());
    }
  }

  @ParameterizedTest
  @EnumSource(MemoryType.class)
  void shouldScoreFromStatisticsExactlyAsTheModelScoresTheFeatureMaps(MemoryType type) {
    ModelConfig cfg = ModelConfig.preset("tiny", K).withInput(4, 4, 32).withMemory(type);
    Engine.getInstance().setRandomSeed(5);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(m);
      randomW(model, m); // the residual memory's W starts at zero: make its infusion count
      // ReLU-like feature maps, so the max pool over bins is not trivial
      NDArray x = m.randomNormal(new Shape(7, cfg.channels(), 2, 8, 8)).abs();
      NDArray boxes = boxes(m);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray expected =
          model
              .head()
              .classify(
                  ps,
                  model.memoryRoiFeatures(
                      ps, x, boxes, BOX_CLIP, MemoryWindows.sliding(SPANS, 2, 1), false),
                  false);
      ClipStatistics stats =
          ClipStatistics.ofFeatures(model, x, boxes, BOX_CLIP, targets(m), SPANS);
      NDArray actual =
          new MemoryWarmup(model, 1, 0.1f).logits(ps, stats.windowed(2, 1, m), m, false);
      float[] e = expected.toFloatArray();
      float[] a = actual.toFloatArray();
      assertEquals(e.length, a.length);
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], a[i], 1e-4f * Math.max(1f, Math.abs(e[i])), type + " logit " + i);
      }
    }
  }

  @Test
  void shouldTrainMemoryAndHeadAndLeaveTheBackboneAlone() {
    ModelConfig cfg = ModelConfig.preset("tiny", K).withInput(4, 4, 32);
    Engine.getInstance().setRandomSeed(5);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(m);
      Map<String, float[]> before = new HashMap<>();
      for (Pair<String, Parameter> p : model.getParameters()) {
        before.put(p.getKey(), p.getValue().getArray().toFloatArray());
      }
      NDArray x = m.randomNormal(new Shape(7, cfg.channels(), 2, 8, 8)).abs();
      ClipStatistics stats =
          ClipStatistics.ofFeatures(model, x, boxes(m), BOX_CLIP, targets(m), SPANS);
      float[] losses = new float[31];
      float last =
          new MemoryWarmup(model, 30, 0.5f)
              .run(
                  stats.windowed(2, 2, m),
                  new SigmoidFocalLoss(-1f, 0f),
                  m,
                  (step, loss, store, sm) -> losses[step] = loss)
              .loss();
      assertEquals(losses[30], last);
      assertTrue(last < 0.8f * losses[1], "warm-up loss " + losses[1] + " -> " + last);
      for (Pair<String, Parameter> p : model.getParameters()) {
        boolean moved =
            !java.util.Arrays.equals(
                before.get(p.getKey()), p.getValue().getArray().toFloatArray());
        if (p.getKey().startsWith("01backbone") || p.getKey().contains("backbone")) {
          assertTrue(!moved, p.getKey() + " is frozen during the warm-up");
        } else if (p.getKey().contains("memory") || p.getKey().contains("head")) {
          assertTrue(moved, p.getKey() + " trains during the warm-up");
        }
      }
    }
  }

  @Test
  void shouldRestartAtHalfTheLearningRateWhenTheWarmupDiverges() {
    ModelConfig cfg =
        ModelConfig.preset("tiny", K).withInput(4, 4, 32).withMemory(MemoryType.RESIDUAL);
    Engine.getInstance().setRandomSeed(5);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(m);
      randomW(model, m);
      // a random residual infusion (cubic in x) diverges at this rate and trains at a fraction of
      // it
      NDArray x = m.randomNormal(new Shape(7, cfg.channels(), 2, 8, 8)).abs();
      ClipStatistics stats =
          ClipStatistics.ofFeatures(model, x, boxes(m), BOX_CLIP, targets(m), SPANS);
      java.util.List<Float> seen = new java.util.ArrayList<>();
      MemoryWarmup.Result r =
          new MemoryWarmup(model, 20, 1f)
              .run(
                  stats.windowed(2, 2, m),
                  new SigmoidFocalLoss(-1f, 0f),
                  m,
                  (step, loss, store, sm) -> seen.add(loss));
      assertTrue(r.lr() < 1f, "the learning rate was halved: " + r.lr());
      assertTrue(Float.isFinite(r.loss()), "finite loss " + r.loss());
      for (Pair<String, Parameter> p : model.getParameters()) {
        for (float v : p.getValue().getArray().toFloatArray()) {
          assertTrue(Float.isFinite(v), p.getKey());
        }
      }
    }
  }
}
