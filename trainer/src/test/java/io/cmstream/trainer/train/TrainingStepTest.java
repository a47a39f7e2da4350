package io.cmstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingStepTest {
  private static final int K = 3;

  /**
   * Two 1-clip windows of a 32 px tiny model, one box each; NaN targets (loss, gradients) when
   * poisoned.
   */
  private static ClipBatch batch(ModelConfig cfg, long seed, boolean poisoned) {
    int t = cfg.frames();
    int s = cfg.cropSize();
    Random rnd = new Random(seed);
    float[] clips = new float[2 * 3 * t * s * s];
    for (int i = 0; i < clips.length; i++) {
      clips[i] = (float) rnd.nextGaussian();
    }
    float[] boxes = {0.1f, 0.2f, 0.6f, 0.9f, 0.3f, 0.1f, 0.9f, 0.7f};
    float[] targets = {1, 0, 0, 0, 1, poisoned ? Float.NaN : 1};
    return new ClipBatch(
        clips, 2, t, s, s, boxes, new int[] {0, 1}, targets, K, MemoryWindows.whole(1, 1));
  }

  /** Drops every unreachable Java object (and the direct buffers it owns) and reuses the heap. */
  private static void collectGarbage() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      List<byte[]> churn = new ArrayList<>();
      for (int j = 0; j < 64; j++) {
        churn.add(new byte[64 * 1024]);
      }
      churn.clear();
      System.gc();
      Thread.sleep(50);
    }
  }

  @Test
  void shouldKeepTrainingSafelyAfterSkippingANonFiniteStepAcrossGarbageCollections()
      throws InterruptedException {
    ModelConfig cfg = ModelConfig.preset("tiny", K).withInput(4, 4, 32);
    Engine.getInstance().setRandomSeed(0);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(manager);
      Optimizer sgd =
          Optimizer.sgd()
              .setLearningRateTracker(Tracker.fixed(0.01f))
              .optMomentum(0.9f)
              .optClipGrad(10f)
              .build();
      ParameterStore store = new ParameterStore(manager, false);
      store.setParameterServer(new LocalParameterServer(sgd), new Device[] {Device.cpu()});
      TrainingStep step = new TrainingStep(model, store, new SigmoidFocalLoss(-1f, 2f), false, 2);

      assertTrue(Float.isFinite(step.run(batch(cfg, 1, false), manager)));
      assertFalse(Float.isFinite(step.run(batch(cfg, 2, true), manager)), "poisoned step");
      for (int i = 0; i < 3; i++) {
        // the skipped step's gradients must live in torch's own memory: after the Java side
        // is collected they still read as zeros and backward can accumulate into them
        collectGarbage();
        for (Pair<String, Parameter> p : model.getParameters()) {
          NDArray a = p.getValue().getArray();
          if (a.hasGradient()) {
            try (NDArray g = a.getGradient()) {
              for (float v : g.toFloatArray()) {
                assertEquals(0f, v, p.getKey() + " gradient after step " + i);
              }
            }
          }
        }
        assertTrue(Float.isFinite(step.run(batch(cfg, 10 + i, false), manager)), "step " + i);
      }
      for (Pair<String, Parameter> p : model.getParameters()) {
        for (float v : p.getValue().getArray().toFloatArray()) {
          assertTrue(Float.isFinite(v), p.getKey());
        }
      }
    }
  }
}
