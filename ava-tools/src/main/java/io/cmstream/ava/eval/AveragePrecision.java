package io.cmstream.ava.eval;

/**
 * PASCAL VOC all-point average precision, as the reference computes it: detections sorted by
 * descending score, precision made monotonically non-increasing from the right, summed over the
 * recall steps. Ties in score are ordered as numpy's {@code argsort(scores)[::-1]} orders them
 * for small arrays (stable ascending, then reversed: the later of two equal scores first); numpy
 * leaves the order of ties in large arrays unspecified.
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
   * order (precision not interpolated), thinned to at most {@code maxPoints} points. Empty when
   * the class has no ground truth or no detections.
   */
  static PrCurve curve(double[] scores, boolean[] truePositive, int count, long numGroundTruth, int maxPoints) {
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

  /** A stable merge sort of indices by a double key, with primitive arrays only. */
  static final class StableSort {
    private StableSort() {}

    static void byAscendingScore(int[] idx, double[] key) {
      int[] tmp = new int[idx.length];
      sort(idx, tmp, 0, idx.length, key);
    }

    private static void sort(int[] a, int[] tmp, int lo, int hi, double[] key) {
      if (hi - lo <= 24) {
        for (int i = lo + 1; i < hi; i++) {
          int x = a[i];
          int j = i - 1;
          while (j >= lo && key[x] < key[a[j]]) {
            a[j + 1] = a[j];
            j--;
          }
          a[j + 1] = x;
        }
        return;
      }
      int mid = (lo + hi) >>> 1;
      sort(a, tmp, lo, mid, key);
      sort(a, tmp, mid, hi, key);
      if (!(key[a[mid]] < key[a[mid - 1]])) {
        return; // already in order
      }
      System.arraycopy(a, lo, tmp, lo, hi - lo);
      int i = lo;
      int j = mid;
      for (int k = lo; k < hi; k++) {
        if (j >= hi || (i < mid && !(key[tmp[j]] < key[tmp[i]]))) {
          a[k] = tmp[i++];
        } else {
          a[k] = tmp[j++];
        }
      }
    }
  }
}
