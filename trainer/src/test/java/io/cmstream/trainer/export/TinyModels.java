package io.cmstream.trainer.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.cmstream.trainer.model.BackboneSpec;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.model.StageSpec;
import java.util.List;
import java.util.Random;

/** Tiny detectors for export tests, with every parameter (BN statistics too) randomised. */
final class TinyModels {
  private TinyModels() {}

  /** Basic blocks with stem pool: C = 16, C' = 4, T = 4, 32 px, K = 5. */
  static ModelConfig basic() {
    return new ModelConfig(
        "test-basic",
        new BackboneSpec(
            false,
            8,
            3,
            2,
            true,
            List.of(new StageSpec(1, 8, 8, 1, 1, 1), new StageSpec(1, 16, 16, 3, 2, 1))),
        4,
        2,
        32,
        MemoryType.DEFAULT,
        4,
        5,
        12,
        0.3f,
        7,
        2);
  }

  /** Bottleneck blocks with a dilated last stage (the slow-r50 layout in miniature). */
  static ModelConfig bottleneck() {
    return new ModelConfig(
        "test-bottleneck",
        new BackboneSpec(
            true,
            8,
            5,
            2,
            true,
            List.of(new StageSpec(1, 4, 16, 1, 1, 1), new StageSpec(2, 8, 32, 3, 1, 2))),
        4,
        2,
        32,
        MemoryType.DEFAULT,
        4,
        3,
        16,
        0.5f,
        7,
        2);
  }

  /** A model of the config with randomised weights, BN gammas/betas and running statistics. */
  static CmDetector randomised(ModelConfig config, NDManager manager, long seed) {
    CmDetector model = new CmDetector(config);
    ai.djl.engine.Engine.getInstance()
        .setRandomSeed((int) seed); // the weights not set below come from the engine's RNG
    model.initialize(manager);
    Random rnd = new Random(seed);
    for (Pair<String, Parameter> p : model.getParameters()) {
      String name = p.getKey();
      NDArray a = p.getValue().getArray();
      float[] v = a.toFloatArray();
      for (int i = 0; i < v.length; i++) {
        if (name.endsWith("runningVar")) {
          v[i] = 0.5f + rnd.nextFloat() * 1.5f;
        } else if (name.endsWith("runningMean") || name.endsWith("beta")) {
          v[i] = (float) (0.2 * rnd.nextGaussian());
        } else if (name.endsWith("gamma")) {
          v[i] = (float) (1 + 0.3 * rnd.nextGaussian());
        } else if (name.contains("head") && name.endsWith("weight")) {
          v[i] = (float) (0.3 * rnd.nextGaussian());
        } else if (name.contains("memory")) {
          v[i] = (float) (0.2 * rnd.nextGaussian());
        }
      }
      // copy into the parameter's own torch storage (set() would alias a Java buffer freed on GC)
      try (NDArray src = manager.create(v, a.getShape())) {
        a.subi(a).addi(src);
      }
    }
    return model;
  }
}
