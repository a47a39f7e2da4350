package io.cmstream.ava.format;

/**
 * A box in normalised image coordinates: {@code 0 <= x1 <= x2 <= 1}, {@code 0 <= y1 <= y2 <= 1}.
 * Zero-area boxes are allowed (AVA files contain them); inverted or out-of-range ones are not.
 */
public record Box(double x1, double y1, double x2, double y2) {
  public Box {
    check("x1", x1);
    check("y1", y1);
    check("x2", x2);
    check("y2", y2);
    if (x2 < x1 || y2 < y1) {
      throw new IllegalArgumentException(
          "box corners must satisfy x1 <= x2 and y1 <= y2, got "
              + x1
              + ","
              + y1
              + ","
              + x2
              + ","
              + y2);
    }
  }

  private static void check(String name, double v) {
    if (!(v >= 0.0 && v <= 1.0)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
    }
  }

  public double width() {
    return x2 - x1;
  }

  public double height() {
    return y2 - y1;
  }

  public double area() {
    return (y2 - y1) * (x2 - x1);
  }

  /**
   * Intersection over union on normalised coordinates (no +1 pixel term); 0 when both are empty.
   */
  public double iou(Box o) {
    double ih = Math.max(0.0, Math.min(y2, o.y2) - Math.max(y1, o.y1));
    double iw = Math.max(0.0, Math.min(x2, o.x2) - Math.max(x1, o.x1));
    double inter = ih * iw;
    double union = area() + o.area() - inter;
    return union > 0 ? inter / union : 0.0;
  }

  /** {@code x1,y1,x2,y2} as AVA files write it. */
  public String toCsv() {
    return AvaCsv.number(x1)
        + ","
        + AvaCsv.number(y1)
        + ","
        + AvaCsv.number(x2)
        + ","
        + AvaCsv.number(y2);
  }
}
