package io.cmstream.trainer.model;

import java.util.Arrays;

/**
 * How a model's clips are made when it differs from the project's default (an imported source model
 * keeps its source's): per-channel RGB mean and std on the [0,1] pixel scale and the short side
 * frames are resized to for evaluation and serving.
 *
 * @param mean R, G, B mean on the [0,1] scale
 * @param std R, G, B std on the [0,1] scale
 * @param shortSide evaluation short side in pixels
 */
public record InputNormalization(float[] mean, float[] std, int shortSide) {
  public InputNormalization {
    if (mean == null || mean.length != 3 || std == null || std.length != 3 || shortSide < 8) {
      throw new IllegalArgumentException(
          "input normalisation needs 3 means, 3 stds and a short side >= 8");
    }
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputNormalization n
        && Arrays.equals(mean, n.mean)
        && Arrays.equals(std, n.std)
        && shortSide == n.shortSide;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(mean) + Arrays.hashCode(std)) + shortSide;
  }
}
