package io.cmstream.detector.model;

/**
 * Which clips the model accepts: exactly {@code frames} frames, each frame's short side at least
 * {@code minShortSide} (no upscaling of tiny frames) and long side at most {@code maxLongSide}
 * pixels, at most {@code maxBoxes} person boxes.
 */
public record FramePolicy(int frames, int minShortSide, int maxLongSide, int maxBoxes) {

  public FramePolicy {
    if (frames < 1 || minShortSide < 1 || maxLongSide < minShortSide || maxBoxes < 0) {
      throw new IllegalArgumentException(
          "invalid frame policy "
              + frames
              + "/"
              + minShortSide
              + "/"
              + maxLongSide
              + "/"
              + maxBoxes);
    }
  }

  /** Why a frame size is outside the policy, or null when it is inside. */
  public String sizeProblem(int width, int height) {
    int shortSide = Math.min(width, height);
    int longSide = Math.max(width, height);
    if (shortSide < minShortSide) {
      return "frame " + width + "x" + height + " has short side < " + minShortSide;
    }
    if (longSide > maxLongSide) {
      return "frame " + width + "x" + height + " has long side > " + maxLongSide;
    }
    return null;
  }
}
