package io.cmstream.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CollaborativeMemoryTest {
  private static final int C = 8;
  private static final int R = 4;
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(11);
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private CollaborativeMemory memory(MemoryType type) {
    CollaborativeMemory cm = new CollaborativeMemory(type, C, R);
    cm.initialize(manager, DataType.FLOAT32, new Shape(1, C, 2, 3, 3));
    return cm;
  }

  private NDArray features(int clips) {
    return manager.randomNormal(new Shape(clips, C, 2, 3, 3)).abs();
  }

  @Test
  void shouldKeepTheMemoryAtCPrimeByCPrimeWhateverN() {
    CollaborativeMemory cm = memory(MemoryType.DEFAULT);
    for (int n : new int[] {1, 3, 5, 9}) {
      NDArray x = features(2 * n);
      NDArray g =
          CollaborativeMemory.windowMemory(
              cm.contribution(ps, x, false), n, CollaborativeMemory.positions(x));
      assertEquals(new Shape(2 * n, C / R, C / R), g.getShape());
      assertEquals(x.getShape(), cm.apply(ps, x, n, false).getShape());
    }
  }

  @Test
  void shouldComputeAndBackPropagateTheContributionAsPhiTransposedPsiOverThePositions() {
    CollaborativeMemory cm = memory(MemoryType.DEFAULT);
    NDArray x = features(3);
    NDArray weights = manager.randomNormal(new Shape(3, C / R, C / R));
    float[][] values = new float[2][];
    float[][] grads = new float[2][];
    for (int way = 0; way < 2; way++) {
      NDArray xi = x.duplicate();
      xi.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        // way 0: the block's moments form; way 1: the definition, phi and psi as convolutions
        NDArray c =
            way == 0
                ? cm.contribution(ps, xi, true)
                : convolved(cm, 0, xi).matMul(convolved(cm, 1, xi).transpose(0, 2, 1));
        values[way] = c.toFloatArray();
        gc.backward(c.mul(weights).sum());
      }
      grads[way] = xi.getGradient().toFloatArray();
    }
    assertArrayEquals(values[1], values[0], 1e-3f);
    assertArrayEquals(grads[1], grads[0], 1e-3f);
  }

  /** Child {@code index} (0 phi, 1 psi) applied to x, flattened to [B, C', L]. */
  private NDArray convolved(CollaborativeMemory cm, int index, NDArray x) {
    NDArray y = cm.getChildren().valueAt(index).forward(ps, new NDList(x), true).singletonOrThrow();
    return y.reshape(y.getShape().get(0), y.getShape().get(1), -1);
  }

  @Test
  void shouldNormaliseTheMemoryByTheTotalNumberOfPositions() {
    CollaborativeMemory cm = memory(MemoryType.DEFAULT);
    NDArray x = features(3);
    NDArray contrib = cm.contribution(ps, x, false);
    NDArray expected = contrib.sum(new int[] {0}).div(3f * 18f);
    NDArray g = CollaborativeMemory.windowMemory(contrib, 3, 18);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(expected.toFloatArray(), g.get(i).toFloatArray(), 1e-5f);
    }
  }

  @Test
  void shouldGiveEveryClipTheMemoryOfItsOwnSlidingWindow() {
    CollaborativeMemory cm = memory(MemoryType.DEFAULT);
    NDArray x = features(7); // spans of 5 and 2 clips, windows [k-1, k+2] inside each span
    NDArray contrib = cm.contribution(ps, x, false);
    MemoryWindows w = MemoryWindows.sliding(new int[] {5, 2}, 1, 2);
    assertArrayEquals(new int[] {0, 0, 1, 2, 3, 5, 5}, w.from());
    assertArrayEquals(new int[] {3, 4, 5, 5, 5, 7, 7}, w.to());
    NDArray g = CollaborativeMemory.windowMemory(contrib, w, 18);
    for (int i = 0; i < 7; i++) {
      NDArray expected =
          contrib
              .get(w.from()[i] + ":" + w.to()[i])
              .sum(new int[] {0})
              .div((float) (w.count(i) * 18));
      assertArrayEquals(expected.toFloatArray(), g.get(i).toFloatArray(), 1e-5f, "clip " + i);
    }
    // whole windows through MemoryWindows equal the window-size form, for every variant
    for (MemoryType t : MemoryType.values()) {
      CollaborativeMemory m = memory(t);
      assertArrayEquals(
          m.apply(ps, x, new int[] {4, 3}, false).toFloatArray(),
          m.apply(ps, x, MemoryWindows.whole(4, 3), false).toFloatArray(),
          1e-5f,
          t.name());
    }
  }

  @Test
  void shouldGateByAConstantOneAndAHalfWhenWIsZero() {
    // gate = 1 + sigmoid(0) = 1.5 on every channel of every clip: the memory has no effect
    // beyond a constant scale (the 1 + sigmoid gate of docs/DESIGN.md section 1; a gate of
    // exactly 1 would need W to be -infinity)
    CollaborativeMemory cm = memory(MemoryType.DEFAULT);
    cm.wMap().getParameters().get("weight").getArray().muli(0);
    NDArray x = features(3);
    NDArray gate =
        cm.gate(
            ps,
            cm.key(ps, x, false),
            CollaborativeMemory.windowMemory(
                cm.contribution(ps, x, false), 3, CollaborativeMemory.positions(x)),
            false);
    for (float v : gate.toFloatArray()) {
      assertEquals(1.5f, v, 1e-6f);
    }
    assertArrayEquals(x.mul(1.5f).toFloatArray(), cm.apply(ps, x, 3, false).toFloatArray(), 1e-5f);
  }

  @Test
  void shouldBeTheIdentityForResidualInfusionWhenWIsZero() {
    CollaborativeMemory cm = memory(MemoryType.RESIDUAL);
    cm.wMap().getParameters().get("weight").getArray().muli(0);
    NDArray x = features(3);
    assertArrayEquals(x.toFloatArray(), cm.apply(ps, x, 3, false).toFloatArray(), 1e-6f);
  }

  @Test
  void shouldNotChangeTheMemoryWhenClipsArePermuted() {
    CollaborativeMemory cm = memory(MemoryType.DEFAULT);
    NDArray x = features(4);
    NDArray perm = x.get(manager.create(new int[] {2, 0, 3, 1}));
    long l = CollaborativeMemory.positions(x);
    NDArray g1 = CollaborativeMemory.windowMemory(cm.contribution(ps, x, false), 4, l).get(0);
    NDArray g2 = CollaborativeMemory.windowMemory(cm.contribution(ps, perm, false), 4, l).get(0);
    assertArrayEquals(g1.toFloatArray(), g2.toFloatArray(), 1e-5f);
    // and each clip's output follows its clip
    NDArray y1 = cm.apply(ps, x, 4, false);
    NDArray y2 = cm.apply(ps, perm, 4, false);
    assertArrayEquals(y1.get(2).toFloatArray(), y2.get(0).toFloatArray(), 1e-5f);
  }

  @Test
  void shouldMixOnlyClipsOfTheSameWindow() {
    CollaborativeMemory cm = memory(MemoryType.DEFAULT);
    NDArray x = features(4);
    NDArray other = x.duplicate();
    other.set(new ai.djl.ndarray.index.NDIndex("2:"), features(2));
    // windows of 2: changing window 2 leaves window 1 untouched
    assertArrayEquals(
        cm.apply(ps, x, 2, false).get("0:2").toFloatArray(),
        cm.apply(ps, other, 2, false).get("0:2").toFloatArray(),
        1e-6f);
  }

  @Test
  void shouldCommutePoolingWithTheGateAsTheStreamingSplitRequires() {
    // docs/DESIGN.md section 2: pool(RoIAlign(X * g)) = pool(RoIAlign(X)) * g, and the gate from
    // per-clip (key, contribution, weight L) summed over the window equals the block's gate.
    CollaborativeMemory cm = memory(MemoryType.DEFAULT);
    AiaHead head = new AiaHead(6, 3, 0f, new RoiAlign(7, 2));
    NDArray x = features(3);
    long l = CollaborativeMemory.positions(x);
    NDArray boxes =
        manager.create(
            new float[] {.1f, .1f, .6f, .9f, .3f, .2f, .9f, .7f, 0f, 0f, 1f, 1f}, new Shape(3, 4));
    int[] idx = {0, 1, 2};
    NDArray offline = head.roiFeatures(cm.apply(ps, x, 3, false), boxes, idx);
    // streaming: each clip alone gives key, contribution, weight; memory = sum contrib / sum L
    NDArray contributions = cm.contribution(ps, x, false);
    NDArray memory =
        contributions
            .sum(new int[] {0}, true)
            .div((float) (3 * l))
            .broadcast(new Shape(3, C / R, C / R));
    NDArray gate = cm.gate(ps, cm.key(ps, x, false), memory, false);
    NDArray streamed = head.roiFeatures(x, boxes, idx).mul(gate);
    assertArrayEquals(offline.toFloatArray(), streamed.toFloatArray(), 1e-4f);
  }

  @Test
  void shouldLeaveFeaturesUntouchedWithoutMemory() {
    CollaborativeMemory cm = memory(MemoryType.NONE);
    assertNull(cm.wMap());
    NDArray x = features(3);
    assertArrayEquals(x.toFloatArray(), cm.apply(ps, x, 3, false).toFloatArray(), 0f);
  }

  @Test
  void shouldShareOneGatePerWindowWithAvgpoolMemory() {
    CollaborativeMemory cm = memory(MemoryType.AVGPOOL);
    NDArray x = features(3);
    NDArray ratio = cm.apply(ps, x, 3, false).div(x); // the gate, broadcast
    float[] r = ratio.toFloatArray();
    int per = C * 18;
    for (int i = 0; i < per; i++) {
      assertEquals(r[i], r[per + i], 1e-5f);
      assertEquals(r[i], r[2 * per + i], 1e-5f);
    }
  }
}
