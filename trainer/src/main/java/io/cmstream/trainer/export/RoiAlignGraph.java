package io.cmstream.trainer.export;

import io.cmstream.runtime.onnx.Attribute;
import io.cmstream.runtime.onnx.ElementType;
import io.cmstream.runtime.onnx.GraphBuilder;
import io.cmstream.runtime.onnx.TensorData;
import java.util.List;

/**
 * RoIAlign of a batch of feature maps, each box on its own map, from plain ONNX operators (MatMul,
 * Where, ReduceSum, ...), so the encoder runs whole on ONNX Runtime's CUDA execution provider,
 * which has a RoiAlign kernel only for opset 10 (an opset-16+ RoiAlign node falls back to the CPU
 * in the middle of the graph; see {@code runtime/README.md}). Same arithmetic as ONNX Runtime's
 * RoiAlign and torchvision's {@code roi_align} (and the trainer's {@code model.RoiAlign}): bilinear
 * sampling is separable, so bin (ph, pw) of a box is {@code sum_ij Ay[ph,i] F[i,j] Ax[pw,j] / (gh
 * gw)} with {@code Ay[ph,i] = sum_iy hat(clamp(y(ph,iy)) - i)} over the bin's gh valid sample rows
 * (hat(d) = max(0, 1 - |d|) is the bilinear weight; samples outside [-1, H] count zero), likewise
 * Ax. Sampling ratio 0 is adaptive (gh = ceil(box height / S) per box); {@code legacy} is {@code
 * aligned=False} (no half-pixel shift, box sides at least one cell).
 */
final class RoiAlignGraph {
  private final int size;
  private final int samplingRatio;
  private final boolean legacy;

  RoiAlignGraph(int size, int samplingRatio, boolean legacy) {
    this.size = size;
    this.samplingRatio = samplingRatio;
    this.legacy = legacy;
  }

  /**
   * @param features [N, C, H, W]
   * @param channels C
   * @param boxes [R, 4] x1, y1, x2, y2 in feature coordinates (before the half-pixel shift)
   * @param boxMap [R] int64: the index in 0..N-1 of each box's feature map
   * @param featureShape Shape of the feature map (int64, H at index {@code hAxis}, W at {@code
   *     hAxis + 1})
   * @return [R, C, S, S]
   */
  String apply(
      GraphBuilder g,
      String features,
      long channels,
      String boxes,
      String boxMap,
      String featureShape,
      int hAxis) {
    String f32 = "to";
    long fl = ElementType.FLOAT.code();
    // rank-0 indices: H and W as float scalars
    String hIndex = g.initializer(TensorData.longs("roi.h_axis", new long[] {hAxis}));
    String wIndex = g.initializer(TensorData.longs("roi.w_axis", new long[] {hAxis + 1}));
    String h = g.op("Cast", List.of(g.op("Gather", featureShape, hIndex)), Attribute.of(f32, fl));
    String w = g.op("Cast", List.of(g.op("Gather", featureShape, wIndex)), Attribute.of(f32, fl));
    String offset = g.scalar("roi.offset", legacy ? 0f : 0.5f);
    // [R, 1, 1] each: start and extent of the box on each axis
    String[] c = new String[4];
    for (int k = 0; k < 4; k++) {
      String col =
          g.op(
              "Gather",
              List.of(boxes, g.longs("roi.col" + k, k)),
              Attribute.of("axis", 1L)); // [R, 1]
      c[k] = g.op("Sub", g.op("Unsqueeze", col, g.longs("roi.unsq" + k, 2)), offset);
    }
    AxisWeights ay = axisWeights(g, "y", c[1], c[3], h);
    AxisWeights ax = axisWeights(g, "x", c[0], c[2], w);
    // each box's feature map [R, C, H, W], then two batched matrix products over R without
    // broadcasting (ONNX Runtime does not broadcast an empty R against 1; R = 0 gives empty
    // products): [R, S, H] x [R, H, C*W] -> [R, S*C, W]; x [R, W, S] -> [R, S*C, S]. A -1 in a
    // Reshape stands only for R, beside non-zero sizes, so it resolves for R = 0 too.
    String hDim = g.op("Gather", featureShape, g.longs("roi.h_dim", hAxis));
    String wDim = g.op("Gather", featureShape, g.longs("roi.w_dim", hAxis + 1));
    String perBox = g.op("Gather", List.of(features, boxMap), Attribute.of("axis", 0L));
    String cw = g.op("Mul", wDim, g.longs("roi.channels", channels));
    String f2 =
        g.op(
            "Reshape",
            g.op("Transpose", List.of(perBox), Attribute.ints("perm", 0, 2, 1, 3)),
            g.op(
                "Concat",
                List.of(g.longs("roi.minus1_b", -1), hDim, cw),
                Attribute.of("axis", 0L)));
    String rows =
        g.op(
            "Reshape",
            g.op("MatMul", ay.weights(), f2),
            g.op(
                "Concat",
                List.of(g.longs("roi.rows_shape", -1, (long) size * channels), wDim),
                Attribute.of("axis", 0L)));
    String axT = g.op("Transpose", List.of(ax.weights()), Attribute.ints("perm", 0, 2, 1));
    String sums =
        g.op(
            "Transpose",
            List.of(
                g.op(
                    "Reshape",
                    g.op("MatMul", rows, axT),
                    g.longs("roi.sums_shape", -1, size, channels, size))),
            Attribute.ints("perm", 0, 2, 1, 3)); // [R,C,S,S]
    // count = max(gh * gw, 1) per box ([R, 1, 1], or a scalar for a fixed sampling ratio) -> [R|1,
    // 1, 1, 1]
    String count = g.op("Max", g.op("Mul", ay.count(), ax.count()), g.scalar("roi.one_count", 1f));
    return g.op("Div", sums, g.op("Reshape", count, g.longs("roi.count_shape", -1, 1, 1, 1)));
  }

  /**
   * The summed bilinear weights [R, S, N] of one axis and its samples per bin [R, 1, 1] (or a
   * scalar).
   */
  private record AxisWeights(String weights, String count) {}

  private AxisWeights axisWeights(GraphBuilder g, String a, String start, String end, String n) {
    String extent = g.op("Sub", end, start);
    if (legacy) {
      extent = g.op("Max", extent, g.scalar("roi." + a + ".min_extent", 1f));
    }
    String s = g.scalar("roi." + a + ".s", size);
    String bin = g.op("Div", extent, s); // [R,1,1]
    String grid =
        samplingRatio > 0
            ? g.scalar("roi." + a + ".grid", samplingRatio)
            : g.op("Ceil", g.op("Div", extent, s));
    // sample indices 0 .. G-1 with G the largest grid of any box (at least 1)
    String gmax =
        g.op(
            "ReduceMax",
            List.of(
                g.op(
                    "Concat",
                    List.of(
                        g.op("Reshape", grid, g.longs("roi." + a + ".flat", -1)),
                        g.initializer("roi." + a + ".one", new float[] {1f}, 1)),
                    Attribute.of("axis", 0L))),
            Attribute.of("keepdims", 0L));
    String iy =
        g.op(
            "Range",
            g.scalar("roi." + a + ".zero", 0f),
            gmax,
            g.scalar("roi." + a + ".step", 1f)); // [G]
    float[] bins = new float[size];
    for (int i = 0; i < size; i++) {
      bins[i] = i;
    }
    String ph = g.initializer("roi." + a + ".bins", bins, 1, size, 1);
    String iyRow = g.op("Reshape", iy, g.longs("roi." + a + ".g_shape", 1, 1, -1)); // [1,1,G]
    // y = start + ph * bin + (iy + 0.5) * bin / grid, the order ONNX Runtime computes it in
    String pos =
        g.op(
            "Add",
            g.op("Add", start, g.op("Mul", ph, bin)),
            g.op(
                "Div",
                g.op("Mul", g.op("Add", iyRow, g.scalar("roi." + a + ".half", 0.5f)), bin),
                g.op("Max", grid, g.scalar("roi." + a + ".one_grid", 1f))));
    String inGrid = g.op("Less", iyRow, grid); // [R?,1,G]
    String inside =
        g.op(
            "Not",
            g.op(
                "Or",
                g.op("Less", pos, g.scalar("roi." + a + ".minus1", -1f)),
                g.op("Greater", pos, n)));
    String valid = g.op("And", inGrid, inside); // [R,S,G]
    String last = g.op("Sub", n, g.scalar("roi." + a + ".one_last", 1f));
    String clamped = g.op("Min", g.op("Max", pos, g.scalar("roi." + a + ".zero_clamp", 0f)), last);
    String cells =
        g.op(
            "Range",
            g.scalar("roi." + a + ".zero_cells", 0f),
            n,
            g.scalar("roi." + a + ".step_cells", 1f)); // [N]
    String dist =
        g.op(
            "Abs",
            g.op("Sub", g.op("Unsqueeze", clamped, g.longs("roi." + a + ".axis3", 3)), cells));
    String hat =
        g.op("Relu", g.op("Sub", g.scalar("roi." + a + ".one_hat", 1f), dist)); // [R,S,G,N]
    String kept =
        g.op(
            "Where",
            g.op("Unsqueeze", valid, g.longs("roi." + a + ".axis3v", 3)),
            hat,
            g.scalar("roi." + a + ".zero_w", 0f));
    String weights =
        g.op(
            "ReduceSum",
            List.of(kept, g.longs("roi." + a + ".axis2", 2)),
            Attribute.of("keepdims", 0L));
    String count =
        samplingRatio > 0 ? grid : g.op("Max", grid, g.scalar("roi." + a + ".zero_count", 0f));
    return new AxisWeights(weights, count);
  }
}
