package io.cmstream.runtime;

/**
 * What the encoder graph computes for one clip (docs/DESIGN.md section 2).
 *
 * @param roiFeats pooled, un-gated RoI features [R, C] row-major
 * @param boxes R
 * @param channels C
 * @param key mean over positions of theta(X) [C']
 * @param contribution phi(X)^T psi(X) summed over positions [C', C'] row-major
 * @param weight L, the number of positions summed into the contribution
 */
public record EncoderOutput(
    float[] roiFeats, int boxes, int channels, float[] key, float[] contribution, float weight) {

  public EncoderOutput {
    if (boxes < 0 || channels < 1 || (long) boxes * channels != roiFeats.length) {
      throw new IllegalArgumentException(
          "roi_feats has " + roiFeats.length + " values, expected " + boxes + " x " + channels);
    }
    if ((long) key.length * key.length != contribution.length) {
      throw new IllegalArgumentException(
          "contribution has " + contribution.length + " values, expected " + key.length + "^2");
    }
    if (!(weight > 0)) {
      throw new IllegalArgumentException("weight must be > 0, got " + weight);
    }
  }

  /** C' = length of the key. */
  public int memoryChannels() {
    return key.length;
  }
}
