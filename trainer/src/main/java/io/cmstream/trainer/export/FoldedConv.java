package io.cmstream.trainer.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;
import io.cmstream.runtime.onnx.Attribute;
import io.cmstream.runtime.onnx.ConvBatchNormFold;
import io.cmstream.runtime.onnx.GraphBuilder;
import io.cmstream.trainer.model.ConvUnit;
import java.util.List;

/**
 * One 3-D convolution of the trained model with its inference-mode batch norm folded in, ready to
 * be written as a single ONNX {@code Conv} node (with bias).
 *
 * @param weight [Cout, Cin, kt, kh, kw] row-major
 * @param bias [Cout]
 * @param shape weight dims
 * @param stride {st, sh, sw}
 * @param padding {pt, ph, pw} (symmetric)
 * @param dilation {dt, dh, dw}
 */
public record FoldedConv(
    float[] weight, float[] bias, long[] shape, long[] stride, long[] padding, long[] dilation) {

  /** Epsilon of every batch norm of the backbone ({@link ConvUnit} builds them with 1e-5). */
  public static final double BN_EPSILON = 1e-5;

  /** Folds the conv and batch norm of a {@link ConvUnit} (inference mode: running statistics). */
  public static FoldedConv of(ConvUnit unit) {
    Convolution conv = convolution(unit);
    BatchNorm bn = unit.batchNorm();
    float[] w = Params.floats(conv, "weight");
    float[] b = conv.isIncludeBias() ? Params.floats(conv, "bias") : null;
    ConvBatchNormFold.Folded f =
        ConvBatchNormFold.fold(
            w,
            b,
            Params.floats(bn, "gamma"),
            Params.floats(bn, "beta"),
            Params.floats(bn, "runningMean"),
            Params.floats(bn, "runningVar"),
            BN_EPSILON);
    return new FoldedConv(
        f.weight(),
        f.bias(),
        Params.shape(conv, "weight"),
        conv.getStride().getShape(),
        conv.getPadding().getShape(),
        conv.getDilation().getShape());
  }

  private static Convolution convolution(ConvUnit unit) {
    for (Block child : unit.getChildren().values()) {
      if (child instanceof Convolution c) {
        return c;
      }
    }
    throw new IllegalStateException("conv unit without a convolution");
  }

  /** Adds the folded conv as a Conv node applied to {@code input}; returns its output. */
  public String addTo(GraphBuilder g, String prefix, String input) {
    String w = g.initializer(prefix + ".weight", weight, shape);
    String b = g.initializer(prefix + ".bias", bias, shape[0]);
    long[] pads = new long[2 * padding.length];
    for (int i = 0; i < padding.length; i++) {
      pads[i] = padding[i];
      pads[i + padding.length] = padding[i];
    }
    long[] kernel = new long[shape.length - 2];
    System.arraycopy(shape, 2, kernel, 0, kernel.length);
    return g.op(
        "Conv",
        List.of(input, w, b),
        Attribute.ints("kernel_shape", kernel),
        Attribute.ints("strides", stride),
        Attribute.ints("pads", pads),
        Attribute.ints("dilations", dilation));
  }

  static long[] dims(Shape s) {
    return s.getShape();
  }
}
