package io.cmstream.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases on a 4x4 map f(y, x) = 10 y + x. Bilinear interpolation of a linear map is
 * exact, so a bin's value is f at the mean of its (clamped) sample points.
 */
class RoiAlignTest {
  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private NDArray ramp() {
    float[] v = new float[16];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        v[y * 4 + x] = 10 * y + x;
      }
    }
    return manager.create(v, new Shape(1, 1, 4, 4));
  }

  private float[] align(int size, int sr, float... box) {
    return new RoiAlign(size, sr)
        .apply(ramp(), manager.create(box, new Shape(1, 4)), new int[] {0})
        .toFloatArray();
  }

  @Test
  void shouldInterpolateBinCentresForABoxInside() {
    // box -> feature coords 0.5..2.5, bins of 1: centres 1 and 2
    assertArrayEquals(new float[] {11, 12, 21, 22}, align(2, 2, .25f, .25f, .75f, .75f), 1e-5f);
  }

  @Test
  void shouldNotDependOnSamplingRatioForALinearMapInside() {
    // coords -0.5..3.5, bins of 2: sr 1 samples 0.5 / 2.5; sr 2 samples {0,1} / {2,3}
    float[] expected = {5.5f, 7.5f, 25.5f, 27.5f};
    assertArrayEquals(expected, align(2, 1, 0, 0, 1, 1), 1e-5f);
    assertArrayEquals(expected, align(2, 2, 0, 0, 1, 1), 1e-5f);
  }

  @Test
  void shouldClampSamplesOnTheBorder() {
    // coords -0.5..1.5, bins of 1; bin 0 samples -0.25 (clamped to 0) and 0.25 -> mean 0.125
    // bin 1 samples 0.75, 1.25 -> 1.0. f(0.125,0.125)=1.375, f(.125,1)=2.25, f(1,.125)=10.125,
    // f(1,1)=11
    assertArrayEquals(
        new float[] {1.375f, 2.25f, 10.125f, 11f}, align(2, 2, 0, 0, .5f, .5f), 1e-5f);
  }

  @Test
  void shouldZeroSamplesOutsideAndCountThemWithSamplingRatioTwo() {
    // coords 2.5..5.5, one bin of 3: samples 3.25 and 4.75 per axis. 4.75 > W=4 contributes 0;
    // 3.25 is past the last column, clamped to 3: only (3.25, 3.25) -> f(3,3)=33; 33 / 4 samples
    assertArrayEquals(new float[] {8.25f}, align(1, 2, .75f, .75f, 1.5f, 1.5f), 1e-5f);
  }

  @Test
  void shouldClampTheSingleSampleWithSamplingRatioOne() {
    // one sample at 4.0 (not > W): clamped to the last row/column -> f(3,3) = 33
    assertArrayEquals(new float[] {33f}, align(1, 1, .75f, .75f, 1.5f, 1.5f), 1e-5f);
  }

  @Test
  void shouldSampleOnePointForATinyBox() {
    // zero-size box at 0.5: coords 1.5 for every sample -> f(1.5, 1.5) = 16.5
    assertArrayEquals(
        new float[] {16.5f, 16.5f, 16.5f, 16.5f}, align(2, 2, .5f, .5f, .5f, .5f), 1e-5f);
  }

  @Test
  void shouldUseTheFeatureMapOfEachBoxClip() {
    NDArray two = ramp().concat(ramp().mul(2), 0); // [2,1,4,4]
    NDArray boxes =
        manager.create(
            new float[] {.25f, .25f, .75f, .75f, .25f, .25f, .75f, .75f}, new Shape(2, 4));
    float[] out = new RoiAlign(2, 2).apply(two, boxes, new int[] {0, 1}).toFloatArray();
    assertArrayEquals(new float[] {11, 12, 21, 22, 22, 24, 42, 44}, out, 1e-5f);
  }

  @Test
  void shouldRejectUnsortedBatchIndices() {
    NDArray two = ramp().concat(ramp(), 0);
    NDArray boxes = manager.zeros(new Shape(2, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RoiAlign(2, 2).apply(two, boxes, new int[] {1, 0}));
  }

  @Test
  void shouldMatchFiniteDifferenceGradients() {
    Random rnd = new Random(7);
    float[] fv = new float[2 * 3 * 5 * 6];
    for (int i = 0; i < fv.length; i++) {
      fv[i] = (float) rnd.nextGaussian();
    }
    float[] bv = {0.1f, 0.2f, 0.7f, 0.9f, -0.1f, 0.3f, 0.5f, 1.2f, 0.4f, 0.4f, 0.6f, 0.55f};
    int[] idx = {0, 0, 1};
    float[] wv = new float[3 * 3 * 3 * 3];
    for (int i = 0; i < wv.length; i++) {
      wv[i] = (float) rnd.nextGaussian();
    }
    RoiAlign ra = new RoiAlign(3, 2);
    NDArray boxes = manager.create(bv, new Shape(3, 4));
    NDArray weights = manager.create(wv, new Shape(3, 3, 3, 3));
    NDArray f = manager.create(fv, new Shape(2, 3, 5, 6));
    f.setRequiresGradient(true);
    float[] grad;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = ra.apply(f, boxes, idx).mul(weights).sum();
      gc.backward(loss);
      grad = f.getGradient().toFloatArray();
    }
    float eps = 1e-2f;
    for (int k = 0; k < fv.length; k += 7) {
      float[] plus = fv.clone();
      float[] minus = fv.clone();
      plus[k] += eps;
      minus[k] -= eps;
      float lp =
          ra.apply(manager.create(plus, new Shape(2, 3, 5, 6)), boxes, idx)
              .mul(weights)
              .sum()
              .getFloat();
      float lm =
          ra.apply(manager.create(minus, new Shape(2, 3, 5, 6)), boxes, idx)
              .mul(weights)
              .sum()
              .getFloat();
      assertEquals((lp - lm) / (2 * eps), grad[k], 2e-3, "d loss / d feature " + k);
    }
  }
}
