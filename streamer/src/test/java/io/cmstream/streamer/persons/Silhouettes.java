package io.cmstream.streamer.persons;

import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.line;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/** Renders an upright human silhouette (head, torso, arms, legs) on a plain background (tests). */
final class Silhouettes {
  private Silhouettes() {}

  /** An empty light-grey frame. */
  static Mat empty(int width, int height) {
    Mat img = new Mat(height, width, opencv_core.CV_8UC3);
    img.put(new Scalar(190, 190, 190, 0));
    return img;
  }

  /**
   * A dark walker {@code height} px tall standing with its feet at ({@code cx}, {@code feetY}).
   * Proportions of an adult: head 1/8 of the height, shoulders 1/4 wide, legs half the height.
   */
  static void drawPerson(Mat img, int cx, int feetY, int height) {
    Scalar dark = new Scalar(40, 40, 40, 0);
    double u = height / 8.0;
    int top = feetY - height;
    int headR = (int) Math.round(u * 0.45);
    Point head = new Point(cx, top + headR + 2);
    circle(img, head, headR, dark, -1, 8, 0);
    int neck = top + (int) Math.round(u);
    int hip = top + (int) Math.round(u * 4);
    int shoulderHalf = (int) Math.round(u * 0.95);
    // torso: an ellipse from the neck to the hips
    ellipse(
        img,
        new Point(cx, (neck + hip) / 2),
        new Size(shoulderHalf, (hip - neck) / 2 + 2),
        0,
        0,
        360,
        dark,
        -1,
        8,
        0);
    int limb = Math.max(3, (int) Math.round(u * 0.38));
    // arms hanging along the body, slightly apart
    line(
        img,
        new Point(cx - shoulderHalf + limb / 2, neck + limb),
        new Point(cx - shoulderHalf - limb / 2, hip + (int) u / 2),
        dark,
        limb,
        8,
        0);
    line(
        img,
        new Point(cx + shoulderHalf - limb / 2, neck + limb),
        new Point(cx + shoulderHalf + limb / 2, hip + (int) u / 2),
        dark,
        limb,
        8,
        0);
    // legs in a walking stance
    int legW = (int) Math.round(limb * 1.3);
    line(
        img,
        new Point(cx - legW / 2, hip),
        new Point(cx - (int) (u * 0.9), feetY - legW / 2),
        dark,
        legW,
        8,
        0);
    line(
        img,
        new Point(cx + legW / 2, hip),
        new Point(cx + (int) (u * 0.9), feetY - legW / 2),
        dark,
        legW,
        8,
        0);
    GaussianBlur(img, img, new Size(3, 3), 0);
  }
}
