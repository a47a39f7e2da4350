package io.cmstream.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SigmoidFocalLossTest {
  private static final float[] LOGITS = {0f, 2f, -1f, 3f};
  private static final float[] LABELS = {1f, 0f, 1f, 1f};

  private static float loss(float alpha, float gamma, float[] x, float[] y) {
    try (NDManager m = NDManager.newBaseManager()) {
      return new SigmoidFocalLoss(alpha, gamma)
          .evaluate(
              new NDList(m.create(y, new Shape(2, 2))), new NDList(m.create(x, new Shape(2, 2))))
          .getFloat();
    }
  }

  @Test
  void shouldMatchHandValuesWithoutAlpha() {
    // per element (x,y): (0,1) .173287, (2,0) 1.650078, (-1,1) .701868, (3,1) .000109
    assertEquals(0.6313356f, loss(-1f, 2f, LOGITS, LABELS), 1e-5f);
  }

  @Test
  void shouldMatchHandValuesWithAlpha() {
    // alpha_t = .25 for positives, .75 for negatives
    assertEquals(0.3640937f, loss(0.25f, 2f, LOGITS, LABELS), 1e-5f);
  }

  @Test
  void shouldEqualBinaryCrossEntropyAtGammaZeroWithoutAlpha() {
    assertEquals(1.0454811f, loss(-1f, 0f, LOGITS, LABELS), 1e-5f);
    Random rnd = new Random(3);
    float[] x = new float[4];
    float[] y = new float[4];
    double bce = 0;
    for (int i = 0; i < 4; i++) {
      x[i] = (float) (rnd.nextGaussian() * 3);
      y[i] = rnd.nextBoolean() ? 1f : 0f;
      double p = 1 / (1 + Math.exp(-x[i]));
      bce -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
    }
    assertEquals(bce / 4, loss(-1f, 0f, x, y), 1e-5);
  }
}
