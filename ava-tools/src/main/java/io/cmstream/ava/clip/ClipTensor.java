package io.cmstream.ava.clip;

/**
 * A preprocessed clip tensor, float32 {@code [3, frames, height, width]} in row-major order: {@code
 * data[((c*frames + t)*height + y)*width + x]}. One clip of the encoder's {@code [N,3,T,H,W]}
 * (docs/bundle-contract.md section 3.1).
 */
public record ClipTensor(float[] data, int frames, int height, int width) {
  public ClipTensor {
    if ((long) 3 * frames * height * width != data.length) {
      throw new IllegalArgumentException(
          "clip data does not match shape [3," + frames + "," + height + "," + width + "]");
    }
  }

  /** {3, T, H, W}. */
  public long[] shape() {
    return new long[] {3, frames, height, width};
  }

  /** Value at channel c, frame t, row y, column x. */
  public float at(int c, int t, int y, int x) {
    return data[((c * frames + t) * height + y) * width + x];
  }
}
