package io.cmstream.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Gradients must not depend on a garbage collection between forward and backward. */
class TorchScalarsTest {
  private static final float[] LOGITS = {-3f, -0.5f, 0f, 0.4f, 2.5f, -1.2f};
  private static final float[] LABELS = {0, 1, 0, 1, 1, 0};
  private static final Shape SHAPE = new Shape(2, 3);

  /** d f(x) / dx at LOGITS, optionally collecting garbage (and reusing freed memory) in between. */
  private static float[] gradient(Function<NDArray, NDArray> f, boolean collect)
      throws InterruptedException {
    List<ByteBuffer> reuse = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray x = m.create(LOGITS, SHAPE);
      x.setRequiresGradient(true);
      NDArray y = f.apply(x);
      if (collect) {
        for (int i = 0; i < 3; i++) {
          System.gc();
          Thread.sleep(50);
        }
        for (int i = 0; i < 20_000; i++) { // small native blocks over whatever was freed
          reuse.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, 1e30f));
        }
      }
      gc.backward(y);
      float[] g = x.getGradient().toFloatArray();
      reuse.clear();
      return g;
    }
  }

  private static void assertGcIndependent(Function<NDArray, NDArray> f)
      throws InterruptedException {
    float[] expected = gradient(f, false);
    for (float v : expected) {
      assertTrue(Float.isFinite(v) && v != 0f, "gradient " + v);
    }
    assertArrayEquals(expected, gradient(f, true), 1e-7f);
  }

  @Test
  void shouldBackPropagateTheFocalLossIdenticallyAfterAGarbageCollection()
      throws InterruptedException {
    SigmoidFocalLoss loss = new SigmoidFocalLoss(0.25f, 2f);
    assertGcIndependent(
        x -> loss.evaluate(new NDList(x.getManager().create(LABELS, SHAPE)), new NDList(x)));
  }

  @Test
  void shouldBackPropagateTheWindowMemoryIdenticallyAfterAGarbageCollection()
      throws InterruptedException {
    assertGcIndependent(
        x ->
            CollaborativeMemory.windowMemory(x.reshape(2, 3, 1), 2, 7)
                .mul(x.reshape(2, 3, 1))
                .sum());
  }

  @Test
  void shouldComputeScaledAndPoweredValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {2f, -3f});
      assertArrayEquals(new float[] {5f, -7.5f}, TorchScalars.mul(x, 2.5f).toFloatArray());
      assertArrayEquals(new float[] {0.5f, -0.75f}, TorchScalars.div(x, 4f).toFloatArray());
      assertArrayEquals(new float[] {4f, 9f}, TorchScalars.pow(x, 2f).toFloatArray());
    }
  }
}
