package io.cmstream.ava.clip;

import io.cmstream.common.clip.ClipSpec;
import java.util.Random;

/**
 * The spatial transform of one clip, the same for all its frames and boxes: resize the source frame
 * to {@code resizedWidth x resizedHeight}, crop the window at ({@code cropX}, {@code cropY}) of
 * size {@code width x height}, then optionally flip horizontally.
 *
 * <p>Boxes are normalised {@code x1,y1,x2,y2} in [0,1] of the source frame before, and of the
 * output frame after {@link #transformBox}. Sample one geometry per training example and apply it
 * to every clip of the example's window so the N clips stay aligned.
 */
public record ClipGeometry(
    int sourceWidth,
    int sourceHeight,
    int resizedWidth,
    int resizedHeight,
    int cropX,
    int cropY,
    int width,
    int height,
    boolean flip) {

  public ClipGeometry {
    if (sourceWidth < 1
        || sourceHeight < 1
        || resizedWidth < 1
        || resizedHeight < 1
        || width < 1
        || height < 1) {
      throw new IllegalArgumentException("empty geometry");
    }
    if (cropX < 0 || cropY < 0 || cropX + width > resizedWidth || cropY + height > resizedHeight) {
      throw new IllegalArgumentException("crop window outside the resized frame");
    }
  }

  /**
   * Evaluation/serving geometry: short side resized to {@code spec.shortSide()}, no crop, no flip.
   */
  public static ClipGeometry forEval(ClipSpec spec, int sourceWidth, int sourceHeight) {
    int[] s = spec.evalSize(sourceWidth, sourceHeight);
    return new ClipGeometry(sourceWidth, sourceHeight, s[0], s[1], 0, 0, s[0], s[1], false);
  }

  /**
   * Training geometry (PySlowFast AVA style): short side jittered uniformly in [{@code
   * minShortSide}, {@code maxShortSide}], random crop of {@code spec.cropSize()} square (or, with
   * cropSize 0, of the evaluation output size), horizontal flip with probability 1/2 when {@code
   * flip}. All randomness comes from {@code random}.
   */
  public static ClipGeometry forTraining(
      ClipSpec spec,
      int sourceWidth,
      int sourceHeight,
      int minShortSide,
      int maxShortSide,
      boolean flip,
      Random random) {
    int[] eval = spec.evalSize(sourceWidth, sourceHeight);
    int cw = spec.cropSize() > 0 ? spec.cropSize() : eval[0];
    int ch = spec.cropSize() > 0 ? spec.cropSize() : eval[1];
    if (minShortSide > maxShortSide) throw new IllegalArgumentException("jitter min > max");
    int side = minShortSide + random.nextInt(maxShortSide - minShortSide + 1);
    int[] r = ClipSpec.resizedSize(sourceWidth, sourceHeight, side);
    // never crop outside the frame: grow the resize if the crop does not fit
    if (r[0] < cw || r[1] < ch) {
      double grow = Math.max((double) cw / r[0], (double) ch / r[1]);
      r = ClipSpec.resizedSize(sourceWidth, sourceHeight, (int) Math.ceil(side * grow));
      r[0] = Math.max(r[0], cw);
      r[1] = Math.max(r[1], ch);
    }
    int x = random.nextInt(r[0] - cw + 1);
    int y = random.nextInt(r[1] - ch + 1);
    boolean f = flip && random.nextBoolean();
    return new ClipGeometry(sourceWidth, sourceHeight, r[0], r[1], x, y, cw, ch, f);
  }

  /** Default training geometry: jitter the short side in [shortSide, 1.25 * shortSide], flip. */
  public static ClipGeometry forTraining(
      ClipSpec spec, int sourceWidth, int sourceHeight, Random random) {
    int lo = spec.cropSize() > 0 ? Math.max(spec.shortSide(), spec.cropSize()) : spec.shortSide();
    return forTraining(
        spec, sourceWidth, sourceHeight, lo, (int) Math.round(lo * 1.25), true, random);
  }

  /**
   * Maps a normalised source box {x1,y1,x2,y2} to normalised output coordinates, clipped to [0,1].
   * A box that ends up outside the crop has zero width or height (see {@link #isVisible}).
   */
  public float[] transformBox(float[] box) {
    double x1 = (box[0] * resizedWidth - cropX) / width;
    double x2 = (box[2] * resizedWidth - cropX) / width;
    double y1 = (box[1] * resizedHeight - cropY) / height;
    double y2 = (box[3] * resizedHeight - cropY) / height;
    if (flip) {
      double t = 1 - x2;
      x2 = 1 - x1;
      x1 = t;
    }
    return new float[] {clip01(x1), clip01(y1), clip01(x2), clip01(y2)};
  }

  /** True when a transformed box still covers some area. */
  public static boolean isVisible(float[] box) {
    return box[2] > box[0] && box[3] > box[1];
  }

  private static float clip01(double v) {
    return (float) Math.max(0, Math.min(1, v));
  }
}
