package io.cmstream.ava.clip;

import io.cmstream.common.clip.ClipSpec;
import java.util.List;

/**
 * Turns the frames of one clip into the model input tensor: decode, bilinear resize (half-pixel
 * centres, like OpenCV's INTER_LINEAR without anti-aliasing), crop, flip, scale to [0,1],
 * normalise, layout [3,T,H,W]. Stateless and thread-safe; one instance per {@link ClipSpec}.
 */
public final class ClipPipeline {
  private final ClipSpec spec;
  private final float[][] lut; // per channel: (v/255 - mean)/std for v = 0..255

  public ClipPipeline(ClipSpec spec) {
    this.spec = spec;
    float[] mean = spec.mean();
    float[] std = spec.std();
    lut = new float[3][256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) lut[c][v] = (v / 255f - mean[c]) / std[c];
    }
  }

  public ClipSpec spec() {
    return spec;
  }

  /** Decodes JPEG frames (exactly {@code spec.frames()} of them, in clip order). */
  public static List<RgbImage> decode(List<byte[]> jpegs) {
    return JpegCodec.decodeAll(jpegs);
  }

  /** Evaluation/serving tensor of JPEG frames: short side resized, no crop, no flip. */
  public ClipTensor evalClip(List<byte[]> jpegs) {
    List<RgbImage> frames = decode(jpegs);
    RgbImage f = frames.get(0);
    return build(frames, ClipGeometry.forEval(spec, f.width(), f.height()));
  }

  /** The tensor of decoded frames under a geometry (all frames must have the source size). */
  public ClipTensor build(List<RgbImage> frames, ClipGeometry g) {
    int t = spec.frames();
    if (frames.size() != t) {
      throw new IllegalArgumentException("clip needs " + t + " frames, got " + frames.size());
    }
    int w = g.width();
    int h = g.height();
    int plane = h * w;
    // precomputed horizontal and vertical sample positions (shared by all frames)
    int[] x0 = new int[w];
    int[] x1 = new int[w];
    float[] wx = new float[w];
    int[] y0 = new int[h];
    int[] y1 = new int[h];
    float[] wy = new float[h];
    axis(g.sourceWidth(), g.resizedWidth(), g.cropX(), w, g.flip(), x0, x1, wx);
    axis(g.sourceHeight(), g.resizedHeight(), g.cropY(), h, false, y0, y1, wy);
    float[] out = new float[3 * t * plane];
    float[] row0 = new float[3];
    for (int k = 0; k < t; k++) {
      RgbImage f = frames.get(k);
      if (f.width() != g.sourceWidth() || f.height() != g.sourceHeight()) {
        throw new IllegalArgumentException(
            "frame "
                + k
                + " is "
                + f.width()
                + "x"
                + f.height()
                + ", expected "
                + g.sourceWidth()
                + "x"
                + g.sourceHeight());
      }
      byte[] px = f.rgb();
      int sw = f.width() * 3;
      for (int y = 0; y < h; y++) {
        int r0 = y0[y] * sw;
        int r1 = y1[y] * sw;
        float fy = wy[y];
        int obase = k * plane + y * w;
        for (int x = 0; x < w; x++) {
          int a = x0[x] * 3;
          int b = x1[x] * 3;
          float fx = wx[x];
          for (int c = 0; c < 3; c++) {
            float top = (px[r0 + a + c] & 0xff) * (1 - fx) + (px[r0 + b + c] & 0xff) * fx;
            float bot = (px[r1 + a + c] & 0xff) * (1 - fx) + (px[r1 + b + c] & 0xff) * fx;
            row0[c] = top * (1 - fy) + bot * fy;
          }
          for (int c = 0; c < 3; c++) {
            out[c * t * plane + obase + x] = normalise(c, row0[c]);
          }
        }
      }
    }
    return new ClipTensor(out, t, h, w);
  }

  private float normalise(int c, float v) {
    int lo = (int) v;
    if (lo >= 255) return lut[c][255];
    float f = v - lo;
    return f == 0 ? lut[c][lo] : lut[c][lo] + (lut[c][lo + 1] - lut[c][lo]) * f;
  }

  /** Source sample positions for output coordinates 0..n-1 along one axis. */
  private static void axis(
      int src, int resized, int crop, int n, boolean flip, int[] i0, int[] i1, float[] wt) {
    double scale = (double) src / resized;
    for (int o = 0; o < n; o++) {
      int r = (flip ? n - 1 - o : o) + crop;
      double s = (r + 0.5) * scale - 0.5;
      if (s < 0) s = 0;
      int lo = (int) Math.floor(s);
      if (lo > src - 1) lo = src - 1;
      int hi = Math.min(lo + 1, src - 1);
      i0[o] = lo;
      i1[o] = hi;
      wt[o] = (float) (s - lo);
      if (hi == lo) wt[o] = 0;
    }
  }
}
