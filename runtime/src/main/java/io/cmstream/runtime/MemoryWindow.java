package io.cmstream.runtime;

/**
 * The memory of one second: the sum of the contributions of the window's seconds divided by the sum
 * of their weights, {@code G = sum_i phi_i^T psi_i / sum_i L_i}. Add the seconds that exist (window
 * clipped at video ends, gaps), then read {@link #memory()}. Sums run in double so the order of
 * additions does not matter at float precision.
 */
public final class MemoryWindow {
  private final int memoryChannels;
  private final double[] sum;
  private double weight;
  private int seconds;

  public MemoryWindow(int memoryChannels) {
    if (memoryChannels < 1) {
      throw new IllegalArgumentException("C' must be >= 1");
    }
    this.memoryChannels = memoryChannels;
    this.sum = new double[memoryChannels * memoryChannels];
  }

  /** Adds one second's contribution [C', C'] and weight L. */
  public MemoryWindow add(float[] contribution, float weight) {
    if (contribution.length != sum.length) {
      throw new IllegalArgumentException(
          "contribution has " + contribution.length + " values, expected " + sum.length);
    }
    if (!(weight > 0)) {
      throw new IllegalArgumentException("weight must be > 0, got " + weight);
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] += contribution[i];
    }
    this.weight += weight;
    seconds++;
    return this;
  }

  /** Adds an encoder output's contribution and weight. */
  public MemoryWindow add(EncoderOutput out) {
    return add(out.contribution(), out.weight());
  }

  /** Number of seconds added. */
  public int seconds() {
    return seconds;
  }

  public int memoryChannels() {
    return memoryChannels;
  }

  /** The memory [C', C'] row-major. */
  public float[] memory() {
    if (seconds == 0) {
      throw new IllegalStateException("memory window is empty: no second was added");
    }
    float[] g = new float[sum.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) (sum[i] / weight);
    }
    return g;
  }
}
