package io.cmstream.trainer.train;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate: linear warm-up from {@code base * warmupStart} to {@code base} over {@code
 * warmupSteps}, then cosine decay to {@code base * finalFraction} at {@code totalSteps}.
 */
public record WarmupCosine(
    float base, int warmupSteps, int totalSteps, float warmupStart, float finalFraction)
    implements Tracker {

  public WarmupCosine {
    if (!(base > 0) || warmupSteps < 0 || totalSteps < 1) {
      throw new IllegalArgumentException("invalid learning-rate schedule");
    }
  }

  /** PySlowFast-style defaults: warm-up from 10% of the base, decay to 1%. */
  public static WarmupCosine of(float base, int warmupSteps, int totalSteps) {
    return new WarmupCosine(base, warmupSteps, totalSteps, 0.1f, 0.01f);
  }

  /**
   * Linear scaling rule: the base LR given for {@code referenceBatch} clips, scaled to {@code
   * batch}.
   */
  public static float scaled(float lr, int batch, int referenceBatch) {
    return lr * batch / referenceBatch;
  }

  @Override
  public float getNewValue(int step) {
    if (step < warmupSteps) {
      float f = warmupStart + (1 - warmupStart) * step / (float) warmupSteps;
      return base * f;
    }
    int span = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (step - warmupSteps) / (double) span);
    double cos = 0.5 * (1 + Math.cos(Math.PI * progress));
    return (float) (base * (finalFraction + (1 - finalFraction) * cos));
  }
}
