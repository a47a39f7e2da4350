package io.cmstream.ava.eval;

/**
 * A class's precision/recall curve: points in descending score order (recall non-decreasing),
 * precision as measured (not interpolated).
 */
public record PrCurve(double[] recall, double[] precision) {
  static final PrCurve EMPTY = new PrCurve(new double[0], new double[0]);

  public PrCurve {
    if (recall.length != precision.length) {
      throw new IllegalArgumentException("recall and precision differ in length");
    }
  }

  public int size() {
    return recall.length;
  }
}
