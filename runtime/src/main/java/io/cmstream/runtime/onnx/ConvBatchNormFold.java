package io.cmstream.runtime.onnx;

/**
 * Folds an inference-mode batch norm that follows a convolution into the convolution's weight and
 * bias: {@code y = gamma * (conv(x) - mean) / sqrt(var + eps) + beta}, per output channel.
 */
public final class ConvBatchNormFold {

  private ConvBatchNormFold() {}

  /** Folded weight and bias of one convolution. */
  public record Folded(float[] weight, float[] bias) {}

  /**
   * @param weight conv weight, output channel first ([Cout, ...] row-major)
   * @param bias conv bias [Cout] or null for none
   */
  public static Folded fold(
      float[] weight,
      float[] bias,
      float[] gamma,
      float[] beta,
      float[] mean,
      float[] var,
      double eps) {
    int cout = gamma.length;
    if (beta.length != cout || mean.length != cout || var.length != cout) {
      throw new IllegalArgumentException("batch norm parameters differ in length");
    }
    if (weight.length % cout != 0 || (bias != null && bias.length != cout)) {
      throw new IllegalArgumentException("conv weight does not have " + cout + " output channels");
    }
    int per = weight.length / cout;
    float[] w = new float[weight.length];
    float[] b = new float[cout];
    for (int o = 0; o < cout; o++) {
      double scale = gamma[o] / Math.sqrt(var[o] + eps);
      for (int k = 0; k < per; k++) {
        w[o * per + k] = (float) (weight[o * per + k] * scale);
      }
      double b0 = bias == null ? 0 : bias[o];
      b[o] = (float) ((b0 - mean[o]) * scale + beta[o]);
    }
    return new Folded(w, b);
  }
}
