package io.cmstream.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CmDetectorTest {

  @Test
  void shouldScoreEveryBoxOfEveryClipWithTheTinyPreset() {
    ModelConfig cfg = ModelConfig.preset("tiny", 5).withInput(4, 4, 64);
    try (NDManager m = NDManager.newBaseManager()) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(m);
      NDArray clips = m.randomNormal(model.clipShape(6));
      NDArray boxes =
          m.create(
              new float[] {0, 0, .5f, .5f, .2f, .2f, .9f, .9f, .1f, .3f, .4f, .8f},
              new Shape(3, 4));
      NDArray idx = m.create(new int[] {0, 2, 5});
      PairList<String, Object> p = new PairList<>();
      p.add(CollaborativeMemory.CLIPS_PARAM, 3);
      NDArray logits =
          model
              .forward(new ParameterStore(m, false), new NDList(clips, boxes, idx), true, p)
              .singletonOrThrow();
      assertEquals(new Shape(3, 5), logits.getShape());
      assertThrows(
          IllegalArgumentException.class,
          () -> {
            PairList<String, Object> bad = new PairList<>();
            bad.add(CollaborativeMemory.CLIPS_PARAM, 4);
            model.forward(new ParameterStore(m, false), new NDList(clips, boxes, idx), false, bad);
          });
    }
  }

  @Test
  void shouldGateThePooledRoiFeaturesExactlyAsTheGatedMap() {
    for (MemoryType type : MemoryType.values()) {
      ModelConfig cfg = ModelConfig.preset("tiny", 5).withInput(4, 4, 64).withMemory(type);
      try (NDManager m = NDManager.newBaseManager()) {
        CmDetector model = new CmDetector(cfg);
        model.initialize(m);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray clips = m.randomNormal(model.clipShape(5));
        NDArray boxes =
            m.create(
                new float[] {0, 0, .5f, .5f, .2f, .2f, .9f, .9f, .1f, .3f, .4f, .8f},
                new Shape(3, 4));
        int[] idx = {0, 2, 4};
        MemoryWindows w = MemoryWindows.sliding(new int[] {3, 2}, 1, 1);
        PairList<String, Object> p = new PairList<>();
        p.add(CollaborativeMemory.CLIPS_PARAM, w);
        NDArray logits =
            model.forward(ps, new NDList(clips, boxes, m.create(idx)), false, p).singletonOrThrow();
        NDArray x = model.features(ps, clips, false);
        NDArray viaMap =
            model
                .head()
                .classify(
                    ps,
                    model.head().roiFeatures(model.memory().apply(ps, x, w, false), boxes, idx),
                    false);
        float[] a = logits.toFloatArray();
        float[] b = viaMap.toFloatArray();
        for (int i = 0; i < a.length; i++) {
          assertEquals(b[i], a[i], 1e-4f * Math.max(1f, Math.abs(b[i])), type + " logit " + i);
        }
      }
    }
  }

  @Test
  void shouldStartTheResidualMemoryAsTheIdentityAndTheGatesWithARandomW() {
    for (MemoryType type : new MemoryType[] {MemoryType.RESIDUAL, MemoryType.DEFAULT}) {
      try (NDManager m = NDManager.newBaseManager()) {
        CmDetector d =
            new CmDetector(ModelConfig.preset("tiny", 3).withInput(4, 4, 32).withMemory(type));
        d.initialize(m);
        NDArray w = d.memory().wMap().getParameters().get("weight").getArray();
        float max = w.abs().max().getFloat();
        if (type == MemoryType.RESIDUAL) {
          assertEquals(0f, max, type + ": W starts at zero");
          NDArray x = m.randomNormal(new Shape(4, d.config().channels(), 2, 8, 8)).abs();
          NDArray y = d.memory().apply(new ParameterStore(m, false), x, 2, false);
          assertEquals(
              0f, y.sub(x).abs().max().getFloat(), "the residual block starts as the identity");
        } else {
          assertTrue(max > 0f, type + ": W is random");
        }
      }
    }
  }

  @Test
  void shouldNameParametersByBlock() {
    ModelConfig cfg = ModelConfig.preset("tiny", 3);
    try (NDManager m = NDManager.newBaseManager()) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(m);
      Set<String> names = model.getParameters().keys().stream().collect(Collectors.toSet());
      for (String n :
          new String[] {
            "01backbone_01stem_01conv_weight",
            "01backbone_01stem_02bn_gamma",
            "01backbone_04res4_01block1_03proj_01conv_weight",
            "02memory_01phi_weight",
            "02memory_02psi_weight",
            "02memory_03theta_weight",
            "02memory_04w_weight",
            "03head_01fc1_weight",
            "03head_03fc2_bias"
          }) {
        assertTrue(names.contains(n), n + " in " + names);
      }
      assertEquals(
          new Shape(64, 16),
          model.getParameters().get("02memory_04w_weight").getArray().getShape());
    }
  }

  @Test
  void shouldReportParametersAndGflopsOfBothPresets() {
    try (NDManager m = NDManager.newBaseManager()) {
      CmDetector tiny = new CmDetector(ModelConfig.preset("tiny", 80));
      tiny.initialize(m);
      ModelComplexity t = ModelComplexity.of(tiny);
      CmDetector r50 = new CmDetector(ModelConfig.preset("slow-r50", 80));
      r50.initialize(m);
      ModelComplexity r = ModelComplexity.of(r50);
      System.out.println("tiny: " + t + "; slow-r50: " + r);
      assertTrue(t.parameters() < 500_000 && t.gflops() < 1.0, t.toString());
      // ResNet-50 backbone ~ 32M (3D kernels in res4/res5) + memory + head
      assertTrue(r.parameters() > 30_000_000 && r.parameters() < 45_000_000, r.toString());
      assertTrue(r.gflops() > 30 && r.gflops() < 80, r.toString());
    }
  }
}
