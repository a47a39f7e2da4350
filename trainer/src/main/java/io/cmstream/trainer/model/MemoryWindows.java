package io.cmstream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Which clips of a batch each clip's memory reads: clip i averages the contributions of batch clips
 * {@code [from[i], to[i])}, a range of consecutive seconds of its own video that contains i. Whole
 * windows (every clip of a window reads the whole window) are the paper's tiled training; sliding
 * windows ({@code [i-back, i+ahead]} inside a longer span of one video) are what serving computes
 * for every second.
 *
 * @param from first batch clip of each clip's memory window
 * @param to one past the last batch clip of each clip's memory window
 */
public record MemoryWindows(int[] from, int[] to) {
  public MemoryWindows {
    if (from.length != to.length) {
      throw new IllegalArgumentException(
          "from/to lengths differ: " + from.length + " vs " + to.length);
    }
    for (int i = 0; i < from.length; i++) {
      if (from[i] < 0 || from[i] > i || to[i] <= i || to[i] > from.length) {
        throw new IllegalArgumentException(
            "memory window of clip "
                + i
                + " is ["
                + from[i]
                + ", "
                + to[i]
                + "), it must contain the clip and lie in the batch of "
                + from.length);
      }
    }
    from = from.clone();
    to = to.clone();
  }

  /** Consecutive windows of the given sizes, every clip reading its whole window. */
  public static MemoryWindows whole(int... sizes) {
    int b = Arrays.stream(sizes).sum();
    int[] from = new int[b];
    int[] to = new int[b];
    int start = 0;
    for (int n : sizes) {
      if (n < 1) {
        throw new IllegalArgumentException("window sizes must be >= 1, got " + n);
      }
      Arrays.fill(from, start, start + n, start);
      Arrays.fill(to, start, start + n, start + n);
      start += n;
    }
    return new MemoryWindows(from, to);
  }

  /** A batch of b clips made of b/n whole windows of n clips. */
  public static MemoryWindows uniform(long b, int clips) {
    if (clips < 1 || b % clips != 0) {
      throw new IllegalArgumentException(
          "batch of " + b + " clips is not a whole number of " + clips + "-clip windows");
    }
    int[] sizes = new int[(int) (b / clips)];
    Arrays.fill(sizes, clips);
    return whole(sizes);
  }

  /**
   * Sliding windows over consecutive spans: clip k of a span of n clips reads span clips {@code
   * [k-back, k+ahead]} clipped to the span.
   */
  public static MemoryWindows sliding(int[] spans, int back, int ahead) {
    int b = Arrays.stream(spans).sum();
    int[] from = new int[b];
    int[] to = new int[b];
    int start = 0;
    for (int n : spans) {
      for (int k = 0; k < n; k++) {
        from[start + k] = start + Math.max(0, k - back);
        to[start + k] = start + Math.min(n, k + ahead + 1);
      }
      start += n;
    }
    return new MemoryWindows(from, to);
  }

  /** Concatenation: the windows of {@code other} follow this batch's clips. */
  public MemoryWindows concat(MemoryWindows other) {
    int b = size();
    int[] f = Arrays.copyOf(from, b + other.size());
    int[] t = Arrays.copyOf(to, b + other.size());
    for (int i = 0; i < other.size(); i++) {
      f[b + i] = other.from[i] + b;
      t[b + i] = other.to[i] + b;
    }
    return new MemoryWindows(f, t);
  }

  /** Number of clips. */
  public int size() {
    return from.length;
  }

  /** Clips clip i's memory reads. */
  public int count(int i) {
    return to[i] - from[i];
  }

  /**
   * The averaging matrix A [B, B]: A[i, j] = 1 / (count(i) * scale) for j in clip i's window, else
   * 0, so that {@code A @ x} (x flattened to [B, ...]) is each clip's window mean of x divided by
   * scale.
   */
  public NDArray averaging(NDManager manager, float scale) {
    int b = size();
    float[] a = new float[b * b];
    for (int i = 0; i < b; i++) {
      float v = 1f / (count(i) * scale);
      for (int j = from[i]; j < to[i]; j++) {
        a[i * b + j] = v;
      }
    }
    return manager.create(a, new Shape(b, b));
  }

  /** Each clip's window mean of x [B, ...] divided by scale: [B, ...]. */
  public NDArray mean(NDArray x, float scale) {
    Shape s = x.getShape();
    if (s.get(0) != size()) {
      throw new IllegalArgumentException(
          "memory windows cover " + size() + " clips, batch has " + s.get(0));
    }
    NDArray a = averaging(x.getManager(), scale);
    return a.matMul(x.reshape(s.get(0), -1)).reshape(s);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemoryWindows w && Arrays.equals(from, w.from) && Arrays.equals(to, w.to);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(from) + Arrays.hashCode(to);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MemoryWindows[");
    for (int i = 0; i < size(); i++) {
      sb.append(i == 0 ? "" : " ").append(from[i]).append('-').append(to[i] - 1);
    }
    return sb.append(']').toString();
  }
}
