package io.cmstream.ava.synth;

import java.util.Arrays;

/**
 * PASCAL VOC all-point average precision of a ranking, as the AVA evaluator computes it for
 * detections that each match their own ground-truth box (IoU 1): precision made non-increasing,
 * summed over the recall steps.
 */
public final class RankingAp {
  private RankingAp() {}

  /**
   * @param scores detection scores
   * @param positive whether each detection is a true positive
   * @param totalPositives number of ground-truth instances of the class (> 0)
   */
  public static double of(double[] scores, boolean[] positive, int totalPositives) {
    if (totalPositives <= 0) return Double.NaN;
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    int n = scores.length;
    double[] precision = new double[n];
    double[] recall = new double[n];
    int tp = 0;
    for (int i = 0; i < n; i++) {
      if (positive[order[i]]) tp++;
      precision[i] = (double) tp / (i + 1);
      recall[i] = (double) tp / totalPositives;
    }
    for (int i = n - 2; i >= 0; i--) precision[i] = Math.max(precision[i], precision[i + 1]);
    double ap = 0;
    double prev = 0;
    for (int i = 0; i < n; i++) {
      ap += (recall[i] - prev) * precision[i];
      prev = recall[i];
    }
    return ap;
  }
}
