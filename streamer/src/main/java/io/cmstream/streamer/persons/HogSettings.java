package io.cmstream.streamer.persons;

/**
 * Settings of the HOG people detector. Defaults are tuned for fixed cameras over a square or
 * crossing, where walkers are often 40-60 px tall (smaller than HOG's 64x128 window, whose person
 * is about 96 px tall): the keyframe is upscaled before detection.
 *
 * @param upscale factor the keyframe is resized by before detection (1 = as decoded)
 * @param maxSide upscaling stops at this longer side (pixels), so large frames are not blown up
 *     (frames already larger are left as they are, never downscaled)
 * @param winStride window stride in pixels (multiple of 8; smaller finds more, slower)
 * @param padding padding around the image in pixels
 * @param scale pyramid scale step (e.g. 1.05; larger is faster but misses sizes)
 * @param hitThreshold SVM margin a window needs to count as a hit (0 = OpenCV's default)
 * @param groupThreshold OpenCV's grouping of raw hits: a person needs more than this many
 *     overlapping hits (0 = no grouping, every raw hit kept)
 * @param nmsIou IoU above which a weaker box is suppressed by a stronger one
 * @param minScore boxes with a lower score (in [0,1]) are dropped
 */
public record HogSettings(
    double upscale,
    int maxSide,
    int winStride,
    int padding,
    double scale,
    double hitThreshold,
    int groupThreshold,
    double nmsIou,
    double minScore) {

  public static HogSettings defaults() {
    return new HogSettings(2.0, 1280, 8, 8, 1.05, 0.0, 1, 0.45, 0.0);
  }

  /** Resize factor for a keyframe of {@code width}x{@code height}. */
  public double factorFor(int width, int height) {
    if (upscale <= 1) {
      return upscale;
    }
    int longSide = Math.max(width, height);
    return Math.max(1.0, Math.min(upscale, (double) maxSide / longSide));
  }

  public HogSettings {
    if (!(upscale > 0))
      throw new IllegalArgumentException("HOG upscale must be > 0, got " + upscale);
    if (maxSide < 128)
      throw new IllegalArgumentException("HOG max side must be >= 128, got " + maxSide);
    if (winStride <= 0 || winStride % 8 != 0)
      throw new IllegalArgumentException(
          "HOG window stride must be a positive multiple of 8, got " + winStride);
    if (padding < 0) throw new IllegalArgumentException("HOG padding must be >= 0, got " + padding);
    if (!(scale > 1.0))
      throw new IllegalArgumentException("HOG scale step must be > 1, got " + scale);
    if (groupThreshold < 0) throw new IllegalArgumentException("HOG group threshold must be >= 0");
    if (!(nmsIou > 0 && nmsIou <= 1))
      throw new IllegalArgumentException("NMS IoU must be in (0,1], got " + nmsIou);
    if (!(minScore >= 0 && minScore < 1))
      throw new IllegalArgumentException("min score must be in [0,1), got " + minScore);
  }
}
