package io.cmstream.ava.eval;

/**
 * PASCAL VOC all-point average precision, as the reference computes it: detections sorted by
 * descending score, precision made monotonically non-increasing from the right, summed over the
 * recall steps. Ties in score are ordered as numpy's {@code argsort(scores)[::-1]} orders them for
 * small arrays (stable ascending, then reversed: the later of two equal scores first); numpy leaves
 * the order of ties in large arrays unspecified.
 */
final class AveragePrecision {
  private AveragePrecision() {}

  /**
   * @param scores detection scores in concatenation order
   * @param truePositive whether each detection is a true positive
   * @param count how many entries of the arrays are used
   * @param numGroundTruth ground-truth instances of the class
   * @return the AP, NaN when there is no ground truth, 0 when there are no detections
   */
  static double of(double[] scores, boolean[] truePositive, int count, long numGroundTruth) {
    if (numGroundTruth == 0) {
      return Double.NaN;
    }
    if (count == 0) {
      return 0.0;
    }
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    StableSort.byAscendingScore(order, scores);
    double[] precision = new double[count + 2];
    double[] recall = new double[count + 2];
    long tp = 0;
    long fp = 0;
    for (int j = 0; j < count; j++) {
      int d = order[count - 1 - j];
      if (truePositive[d]) {
        tp++;
      } else {
        fp++;
      }
      precision[j + 1] = (double) tp / (double) (tp + fp);
      recall[j + 1] = (double) tp / (double) numGroundTruth;
    }
    if (tp > numGroundTruth) {
      throw new IllegalStateException("more true positives than ground truth");
    }
    precision[count + 1] = 0.0;
    recall[count + 1] = 1.0;
    for (int i = count; i >= 0; i--) {
      precision[i] = Math.max(precision[i], precision[i + 1]);
    }
    double ap = 0.0;
    for (int i = 1; i <= count + 1; i++) {
      if (recall[i] != recall[i - 1]) {
        ap += (recall[i] - recall[i - 1]) * precision[i];
      }
    }
    return ap;
  }

  /**
   * The precision/recall curve behind {@link #of}: one point per detection in descending score
   * order (precision not interpolated), thinned to at most {@code maxPoints} points. Empty when the
   * class has no ground truth or no detections.
   */
  static PrCurve curve(
      double[] scores, boolean[] truePositive, int count, long numGroundTruth, int maxPoints) {
    if (numGroundTruth == 0 || count == 0) {
      return PrCurve.EMPTY;
    }
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    StableSort.byAscendingScore(order, scores);
    int step = Math.max(1, (count + maxPoints - 1) / maxPoints);
    int n = (count + step - 1) / step;
    double[] precision = new double[n];
    double[] recall = new double[n];
    long tp = 0;
    int k = 0;
    for (int j = 0; j < count; j++) {
      if (truePositive[order[count - 1 - j]]) {
        tp++;
      }
      if (j % step == step - 1 || j == count - 1) {
        if (k < n) {
          precision[k] = (double) tp / (j + 1);
          recall[k] = (double) tp / numGroundTruth;
          k++;
        }
      }
    }
    return new PrCurve(java.util.Arrays.copyOf(recall, k), java.util.Arrays.copyOf(precision, k));
  }

  /**
   * A stable sort of indices by a double key (least-significant-digit radix sort on the keys'
   * order-preserving bit patterns, primitive arrays only). -0.0 and 0.0 are equal keys, as they are
   * for numpy.
   */
  static final class StableSort {
    private static final int BITS = 11;
    private static final int RADIX = 1 << BITS;

    private StableSort() {}

    static void byAscendingScore(int[] idx, double[] key) {
      int n = idx.length;
      if (n < 2) {
        return;
      }
      long[] k = new long[n];
      for (int i = 0; i < n; i++) {
        k[i] = sortable(key[idx[i]]);
      }
      long[] k2 = new long[n];
      int[] i2 = new int[n];
      int[] count = new int[RADIX];
      int[] src = idx;
      for (int shift = 0; shift < 64; shift += BITS) {
        java.util.Arrays.fill(count, 0);
        for (int i = 0; i < n; i++) {
          count[(int) (k[i] >>> shift) & (RADIX - 1)]++;
        }
        if (count[(int) (k[0] >>> shift) & (RADIX - 1)] == n) {
          continue; // every key has the same digit here
        }
        int sum = 0;
        for (int d = 0; d < RADIX; d++) {
          int c = count[d];
          count[d] = sum;
          sum += c;
        }
        for (int i = 0; i < n; i++) {
          int pos = count[(int) (k[i] >>> shift) & (RADIX - 1)]++;
          k2[pos] = k[i];
          i2[pos] = src[i];
        }
        long[] tk = k;
        k = k2;
        k2 = tk;
        int[] ti = src;
        src = i2;
        i2 = ti;
      }
      if (src != idx) {
        System.arraycopy(src, 0, idx, 0, n);
      }
    }

    /** An unsigned long whose order is the order of the doubles (NaN excluded). */
    static long sortable(double v) {
      long bits = Double.doubleToRawLongBits(v == 0.0 ? 0.0 : v);
      return bits < 0 ? ~bits : bits | Long.MIN_VALUE;
    }
  }
}
