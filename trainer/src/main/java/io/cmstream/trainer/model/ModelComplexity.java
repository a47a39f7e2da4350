package io.cmstream.trainer.model;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Parameter count and per-clip multiply-adds of the detector (backbone + memory + head for one
 * box), counted analytically from the layout: fvcore / PySlowFast convention where one multiply-add
 * is one FLOP.
 *
 * @param parameters trainable and BN parameters of the block
 * @param gflops per-clip GFLOPs (multiply-adds / 1e9)
 */
public record ModelComplexity(long parameters, double gflops) {

  public static ModelComplexity of(CmDetector model) {
    long params = 0;
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (p.getValue().getArray() != null) {
        params += p.getValue().getArray().size();
      }
    }
    return new ModelComplexity(params, macs(model.config()) / 1e9);
  }

  /** Multiply-adds of one clip through the model. */
  public static double macs(ModelConfig cfg) {
    BackboneSpec b = cfg.backbone();
    long t = cfg.frames();
    long h = cfg.cropSize();
    long w = cfg.cropSize();
    double macs = 0;
    // stem
    h = out(h, b.stemKernel(), b.stemStride(), 1);
    w = out(w, b.stemKernel(), b.stemStride(), 1);
    macs += (double) t * h * w * b.stemWidth() * 3 * b.stemKernel() * b.stemKernel();
    if (b.stemPool()) {
      h = out(h, 3, 2, 1);
      w = out(w, 3, 2, 1);
    }
    long in = b.stemWidth();
    for (StageSpec st : b.stages()) {
      for (int i = 0; i < st.blocks(); i++) {
        int s = i == 0 ? st.spatialStride() : 1;
        long h2 = out(h, 3, s, 1);
        long w2 = out(w, 3, s, 1);
        if (b.bottleneck()) {
          macs += (double) t * h * w * st.innerWidth() * in * st.temporalKernel();
          macs += (double) t * h2 * w2 * st.innerWidth() * st.innerWidth() * 9;
          macs += (double) t * h2 * w2 * st.outWidth() * st.innerWidth();
        } else {
          macs += (double) t * h2 * w2 * st.outWidth() * in * 9 * st.temporalKernel();
          macs += (double) t * h2 * w2 * st.outWidth() * st.outWidth() * 9;
        }
        if (in != st.outWidth() || s != 1) {
          macs += (double) t * h2 * w2 * st.outWidth() * in;
        }
        in = st.outWidth();
        h = h2;
        w = w2;
      }
    }
    long l = t * h * w;
    long c = cfg.channels();
    long cp = cfg.memoryChannels();
    switch (cfg.memory()) {
      case DEFAULT -> macs += 3.0 * l * c * cp + (double) l * cp * cp + cp * cp + (double) cp * c;
      case RESIDUAL -> macs += 3.0 * l * c * cp + (double) l * cp * cp + (double) l * cp * c;
      case AVGPOOL -> macs += (double) l * c * cp + (double) cp * c;
      case NONE -> {}
    }
    macs +=
        cfg.linearHead()
            ? (double) c * cfg.numClasses()
            : (double) c * cfg.hidden() + (double) cfg.hidden() * cfg.numClasses();
    return macs;
  }

  private static long out(long size, int k, int stride, int dilation) {
    int pad = (k - 1) / 2 * dilation;
    return (size + 2L * pad - (long) dilation * (k - 1) - 1) / stride + 1;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT, "%,d parameters, %.3f GFLOPs per clip", parameters, gflops);
  }
}
