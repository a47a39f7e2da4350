package io.cmstream.runtime.onnx;

import java.util.Random;

/** Plain-Java reference computations the ONNX graphs are checked against. */
final class Reference {
  private Reference() {}

  static float[] random(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  /** Direct 3-D convolution of x [1,Ci,D,H,W] with w [Co,Ci,kd,kh,kw], zero padding, stride s. */
  static float[] conv3d(
      float[] x,
      int ci,
      int d,
      int h,
      int w,
      float[] wt,
      float[] bias,
      int co,
      int kd,
      int kh,
      int kw,
      int[] pad,
      int[] stride,
      int[] outDims) {
    int od = (d + 2 * pad[0] - kd) / stride[0] + 1;
    int oh = (h + 2 * pad[1] - kh) / stride[1] + 1;
    int ow = (w + 2 * pad[2] - kw) / stride[2] + 1;
    outDims[0] = od;
    outDims[1] = oh;
    outDims[2] = ow;
    float[] y = new float[co * od * oh * ow];
    for (int o = 0; o < co; o++) {
      for (int z = 0; z < od; z++) {
        for (int r = 0; r < oh; r++) {
          for (int c = 0; c < ow; c++) {
            double s = bias == null ? 0 : bias[o];
            for (int i = 0; i < ci; i++) {
              for (int a = 0; a < kd; a++) {
                for (int b = 0; b < kh; b++) {
                  for (int e = 0; e < kw; e++) {
                    int zz = z * stride[0] - pad[0] + a;
                    int rr = r * stride[1] - pad[1] + b;
                    int cc = c * stride[2] - pad[2] + e;
                    if (zz < 0 || zz >= d || rr < 0 || rr >= h || cc < 0 || cc >= w) {
                      continue;
                    }
                    s +=
                        wt[((((o * ci + i) * kd + a) * kh + b) * kw) + e]
                            * x[((i * d + zz) * h + rr) * w + cc];
                  }
                }
              }
            }
            y[((o * od + z) * oh + r) * ow + c] = (float) s;
          }
        }
      }
    }
    return y;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
