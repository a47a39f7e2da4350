package io.cmstream.streamer.persons;

/**
 * A person box on a keyframe, normalised to the frame: x1,y1,x2,y2 in [0,1], plus a score in [0,1].
 */
public record PersonBox(double x1, double y1, double x2, double y2, double score) {
  public PersonBox {
    if (!(x1 <= x2 && y1 <= y2)) {
      throw new IllegalArgumentException(
          "box corners out of order: " + x1 + "," + y1 + "," + x2 + "," + y2);
    }
  }

  /** A box from pixel coordinates, clipped to the frame and normalised by its size. */
  public static PersonBox fromPixels(
      double x, double y, double w, double h, int width, int height, double score) {
    return new PersonBox(
        clamp(x / width),
        clamp(y / height),
        clamp((x + w) / width),
        clamp((y + h) / height),
        score);
  }

  public double width() {
    return x2 - x1;
  }

  public double height() {
    return y2 - y1;
  }

  public double area() {
    return width() * height();
  }

  /** Intersection over union with another box (0 when they do not overlap). */
  public double iou(PersonBox o) {
    double iw = Math.min(x2, o.x2) - Math.max(x1, o.x1);
    double ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    double inter = iw * ih;
    return inter / (area() + o.area() - inter);
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
