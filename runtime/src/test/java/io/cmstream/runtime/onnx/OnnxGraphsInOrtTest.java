package io.cmstream.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.cmstream.runtime.onnx.OrtRunner.In;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Graphs written by our own writer, run in a real ONNX Runtime session (all optimisations on). */
class OnnxGraphsInOrtTest {

  private static final ElementType F = ElementType.FLOAT;

  @Test
  void shouldComputeConv3dLikeDirectConvolution() throws OrtException {
    Random rnd = new Random(1);
    int ci = 3, d = 4, h = 6, w = 5, co = 4;
    float[] x = Reference.random(rnd, ci * d * h * w);
    float[] wt = Reference.random(rnd, co * ci * 3 * 3 * 3);
    float[] bias = Reference.random(rnd, co);
    GraphBuilder g = new GraphBuilder("conv3d");
    String in = g.input("x", F, Dim.of(1), Dim.of(ci), Dim.dynamic("T"), Dim.of(h), Dim.of(w));
    String y =
        g.op(
            "Conv",
            List.of(in, g.initializer("w", wt, co, ci, 3, 3, 3), g.initializer("b", bias, co)),
            Attribute.ints("kernel_shape", 3, 3, 3),
            Attribute.ints("pads", 1, 1, 1, 1, 1, 1),
            Attribute.ints("strides", 1, 2, 2));
    g.output(
        y, "y", F, Dim.of(1), Dim.of(co), Dim.dynamic("T"), Dim.dynamic("H"), Dim.dynamic("W"));
    int[] od = new int[3];
    float[] expected =
        Reference.conv3d(
            x, ci, d, h, w, wt, bias, co, 3, 3, 3, new int[] {1, 1, 1}, new int[] {1, 2, 2}, od);
    try (OrtRunner ort = new OrtRunner(g.model("test", Map.of()))) {
      Map<String, Object> inputs = Map.of("x", new In(x, 1, ci, d, h, w));
      float[] got = ort.run(inputs).get("y");
      assertArrayEquals(new long[] {1, co, od[0], od[1], od[2]}, ort.outputShape(inputs, "y"));
      assertTrue(
          Reference.maxAbsDiff(expected, got) < 1e-4,
          "max diff " + Reference.maxAbsDiff(expected, got));
    }
  }

  @Test
  void shouldMatchConvFollowedByBatchNormWhenFolded() throws OrtException {
    Random rnd = new Random(2);
    int ci = 2, co = 3;
    float[] x = Reference.random(rnd, ci * 2 * 4 * 4);
    float[] wt = Reference.random(rnd, co * ci);
    float[] gamma = {1.5f, 0.5f, -2f};
    float[] beta = {0.1f, -0.2f, 0.3f};
    float[] mean = {0.4f, -1f, 2f};
    float[] var = {0.25f, 4f, 1f};
    double eps = 1e-5;

    GraphBuilder bn = new GraphBuilder("conv_bn");
    String in = bn.input("x", F, Dim.of(1), Dim.of(ci), Dim.of(2), Dim.of(4), Dim.of(4));
    String c = bn.op("Conv", List.of(in, bn.initializer("w", wt, co, ci, 1, 1, 1)));
    String y =
        bn.op(
            "BatchNormalization",
            List.of(
                c,
                bn.initializer("g", gamma, co),
                bn.initializer("be", beta, co),
                bn.initializer("m", mean, co),
                bn.initializer("v", var, co)),
            Attribute.of("epsilon", (float) eps));
    bn.output(y, "y", F, Dim.of(1), Dim.of(co), Dim.of(2), Dim.of(4), Dim.of(4));

    ConvBatchNormFold.Folded f = ConvBatchNormFold.fold(wt, null, gamma, beta, mean, var, eps);
    GraphBuilder folded = new GraphBuilder("conv_folded");
    String in2 = folded.input("x", F, Dim.of(1), Dim.of(ci), Dim.of(2), Dim.of(4), Dim.of(4));
    String y2 =
        folded.op(
            "Conv",
            List.of(
                in2,
                folded.initializer("w", f.weight(), co, ci, 1, 1, 1),
                folded.initializer("b", f.bias(), co)));
    folded.output(y2, "y", F, Dim.of(1), Dim.of(co), Dim.of(2), Dim.of(4), Dim.of(4));

    // hand check of one value: channel 0, position 0
    double conv0 = wt[0] * x[0] + wt[1] * x[32];
    double hand = gamma[0] * (conv0 - mean[0]) / Math.sqrt(var[0] + eps) + beta[0];
    Map<String, Object> inputs = Map.of("x", new In(x, 1, ci, 2, 4, 4));
    try (OrtRunner a = new OrtRunner(bn.model("test", Map.of()));
        OrtRunner b = new OrtRunner(folded.model("test", Map.of()))) {
      float[] ya = a.run(inputs).get("y");
      float[] yb = b.run(inputs).get("y");
      assertEquals(hand, ya[0], 1e-5);
      assertTrue(Reference.maxAbsDiff(ya, yb) < 1e-5, "max diff " + Reference.maxAbsDiff(ya, yb));
    }
  }

  @Test
  void shouldApplyReluMaxPoolAndReduceMean() throws OrtException {
    // x [1,1,1,2,4]: rows (-1, 2, -3, 4) and (5, -6, 7, 8)
    float[] x = {-1, 2, -3, 4, 5, -6, 7, 8};
    GraphBuilder g = new GraphBuilder("pool");
    String in = g.input("x", F, Dim.of(1), Dim.of(1), Dim.of(1), Dim.of(2), Dim.of(4));
    String r = g.op("Relu", in);
    String p =
        g.op(
            "MaxPool",
            List.of(r),
            Attribute.ints("kernel_shape", 1, 2, 2),
            Attribute.ints("strides", 1, 2, 2));
    String m =
        g.op(
            "ReduceMean",
            List.of(r),
            Attribute.ints("axes", 2, 3, 4),
            Attribute.of("keepdims", 0L));
    g.output(p, "pooled", F, Dim.of(1), Dim.of(1), Dim.of(1), Dim.of(1), Dim.of(2));
    g.output(m, "mean", F, Dim.of(1), Dim.of(1));
    try (OrtRunner ort = new OrtRunner(g.model("test", Map.of()))) {
      Map<String, float[]> out = ort.run(Map.of("x", new In(x, 1, 1, 1, 2, 4)));
      assertArrayEquals(new float[] {5, 8}, out.get("pooled"));
      assertArrayEquals(new float[] {(0 + 2 + 0 + 4 + 5 + 0 + 7 + 8) / 8f}, out.get("mean"), 1e-6f);
    }
  }

  @Test
  void shouldRunGatedMlpHeadForZeroOneAndManyRows() throws OrtException {
    // scores = sigmoid(W2 relu(W1 (x * (1 + sigmoid(k . M . U))) + b1) + b2): the context head
    // shape
    float[] u = {1, 0, 0, 0, 1, 0}; // [C'=2, C=3]
    float[] w1 = {1, 0, 0, 0, 1, 0}; // [H=2, C=3]  (Gemm transB)
    float[] b1 = {0, -1};
    float[] w2 = {1, 1}; // [K=1, H=2]
    float[] b2 = {0.5f};
    GraphBuilder g = new GraphBuilder("head");
    String x = g.input("x", F, Dim.dynamic("R"), Dim.of(3));
    String key = g.input("key", F, Dim.of(2));
    String mem = g.input("memory", F, Dim.of(2), Dim.of(2));
    String km = g.op("MatMul", key, mem); // [2]
    String gateLogits = g.op("MatMul", km, g.initializer("u", u, 2, 3)); // [3]
    String gate = g.op("Add", g.op("Sigmoid", gateLogits), g.scalar("one", 1f));
    String gated = g.op("Mul", x, gate);
    String hidden =
        g.op(
            "Relu",
            g.op(
                "Gemm",
                List.of(gated, g.initializer("w1", w1, 2, 3), g.initializer("b1", b1, 2)),
                Attribute.of("transB", 1L)));
    String logits =
        g.op(
            "Gemm",
            List.of(hidden, g.initializer("w2", w2, 1, 2), g.initializer("b2", b2, 1)),
            Attribute.of("transB", 1L));
    g.output(g.op("Sigmoid", logits), "scores", F, Dim.dynamic("R"), Dim.of(1));

    float[] keyV = {1, 2};
    float[] memV = {0, 1, 1, 0}; // key . M = (2, 1) -> gate logits (2, 1, 0)
    double g0 = 1 + sig(2), g1 = 1 + sig(1);
    try (OrtRunner ort = new OrtRunner(g.model("test", Map.of()))) {
      for (int rows : new int[] {0, 1, 5}) {
        float[] xs = new float[rows * 3];
        float[] expected = new float[rows];
        for (int r = 0; r < rows; r++) {
          xs[r * 3] = r;
          xs[r * 3 + 1] = 2 - r;
          xs[r * 3 + 2] = 7;
          double h0 = Math.max(0, r * g0);
          double h1 = Math.max(0, (2 - r) * g1 - 1);
          expected[r] = (float) sig(h0 + h1 + 0.5);
        }
        Map<String, Object> in =
            Map.of("x", new In(xs, rows, 3), "key", new In(keyV, 2), "memory", new In(memV, 2, 2));
        float[] got = ort.run(in).get("scores");
        assertArrayEquals(expected, got, 1e-6f, "rows=" + rows);
        assertArrayEquals(new long[] {rows, 1}, ort.outputShape(in, "scores"));
      }
    }
  }

  @Test
  void shouldComputeOuterProductSumWithEinsum() throws OrtException {
    // contribution = phi^T psi summed over positions: [L,2]^T x [L,2]
    GraphBuilder g = new GraphBuilder("einsum");
    String a = g.input("a", F, Dim.dynamic("L"), Dim.of(2));
    String b = g.input("b", F, Dim.dynamic("L"), Dim.of(2));
    g.output(
        g.op("Einsum", List.of(a, b), Attribute.of("equation", "lc,ld->cd")),
        "c",
        F,
        Dim.of(2),
        Dim.of(2));
    try (OrtRunner ort = new OrtRunner(g.model("test", Map.of()))) {
      float[] av = {1, 2, 3, 4, 5, 6};
      float[] bv = {1, 0, 0, 1, 1, 1};
      float[] c = ort.run(Map.of("a", new In(av, 3, 2), "b", new In(bv, 3, 2))).get("c");
      // c[i][j] = sum_l a[l][i] b[l][j]
      assertArrayEquals(new float[] {1 + 5, 3 + 5, 2 + 6, 4 + 6}, c);
    }
  }

  @Test
  void shouldSampleRoiAlignBilinearlyWithHalfPixelCoordinates() throws OrtException {
    // feature value = column index x on an 8x8 map: bilinear sampling of a ramp returns the
    // sample's x, so each output bin is the mean x of its samples = the bin centre.
    int hw = 8;
    float[] map = new float[2 * hw * hw];
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < hw; y++) {
        for (int x = 0; x < hw; x++) {
          map[(c * hw + y) * hw + x] = c == 0 ? x : 10 * y;
        }
      }
    }
    GraphBuilder g = new GraphBuilder("roialign");
    String fm = g.input("map", F, Dim.of(1), Dim.of(2), Dim.of(hw), Dim.of(hw));
    String boxes = g.input("boxes", F, Dim.dynamic("R"), Dim.of(4));
    // batch indices = zeros of length R, derived from the boxes' shape
    String r = g.op("Gather", List.of(g.op("Shape", boxes), g.longs("zero_idx", 0)));
    String idx =
        g.op(
            "ConstantOfShape",
            List.of(r),
            Attribute.tensor("value", TensorData.longs("v", new long[] {0}, 1)));
    String out =
        g.op(
            "RoiAlign",
            List.of(fm, g.op("Mul", boxes, g.scalar("size", hw)), idx),
            Attribute.of("coordinate_transformation_mode", "half_pixel"),
            Attribute.of("mode", "avg"),
            Attribute.of("output_height", 7L),
            Attribute.of("output_width", 7L),
            Attribute.of("sampling_ratio", 2L),
            Attribute.of("spatial_scale", 1f));
    g.output(out, "rois", F, Dim.dynamic("R"), Dim.of(2), Dim.of(7), Dim.of(7));
    try (OrtRunner ort = new OrtRunner(g.model("test", Map.of()))) {
      // box x from 1 to 5, y from 2 to 6 pixels (normalised by 8)
      float[] box = {1 / 8f, 2 / 8f, 5 / 8f, 6 / 8f};
      float[] got =
          ort.run(Map.of("map", new In(map, 1, 2, hw, hw), "boxes", new In(box, 1, 4))).get("rois");
      for (int i = 0; i < 7; i++) {
        for (int j = 0; j < 7; j++) {
          double cx = 0.5 + (j + 0.5) * 4 / 7.0;
          double cy = 1.5 + (i + 0.5) * 4 / 7.0;
          assertEquals(cx, got[i * 7 + j], 1e-5, "x at " + i + "," + j);
          assertEquals(10 * cy, got[49 + i * 7 + j], 1e-4, "y at " + i + "," + j);
        }
      }
      Map<String, Object> none =
          Map.of("map", new In(map, 1, 2, hw, hw), "boxes", new In(new float[0], 0, 4));
      assertArrayEquals(new long[] {0, 2, 7, 7}, ort.outputShape(none, "rois"));
    }
  }

  @Test
  void shouldCarryMetadataAndDynamicDimsIntoTheSession() throws OrtException {
    GraphBuilder g = new GraphBuilder("meta");
    String x = g.input("x", F, Dim.dynamic("R"), Dim.of(4));
    g.output(g.op("Relu", x), "y", F, Dim.dynamic("R"), Dim.of(4));
    try (OrtRunner ort = new OrtRunner(g.model("9.9", Map.of("model_id", "tiny")))) {
      assertEquals("tiny", ort.session().getMetadata().getCustomMetadata().get("model_id"));
      assertEquals("cm-stream", ort.session().getMetadata().getProducerName());
      ai.onnxruntime.TensorInfo info =
          (ai.onnxruntime.TensorInfo) ort.session().getInputInfo().get("x").getInfo();
      assertArrayEquals(new long[] {-1, 4}, info.getShape());
    }
  }

  private static double sig(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}
