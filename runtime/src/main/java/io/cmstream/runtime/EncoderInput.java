package io.cmstream.runtime;

/**
 * One clip for the encoder: its tensor and its person boxes.
 *
 * @param clip [3,T,H,W] row-major (the clip pipeline's tensor)
 * @param frames T
 * @param height H
 * @param width W
 * @param boxes normalised x1,y1,x2,y2 per person, R*4 values (R may be 0)
 */
public record EncoderInput(float[] clip, int frames, int height, int width, float[] boxes) {

  public EncoderInput {
    if (frames < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "clip size must be positive, got " + frames + "x" + height + "x" + width);
    }
    if ((long) 3 * frames * height * width != clip.length) {
      throw new IllegalArgumentException(
          "clip has " + clip.length + " values, expected 3x" + frames + "x" + height + "x" + width);
    }
    if (boxes.length % 4 != 0) {
      throw new IllegalArgumentException("boxes must have 4 values per box, got " + boxes.length);
    }
  }

  /** R, the number of boxes. */
  public int boxCount() {
    return boxes.length / 4;
  }

  /** T x H x W, e.g. "4x96x128": clips of one encoder call must all have the same. */
  public String size() {
    return frames + "x" + height + "x" + width;
  }
}
