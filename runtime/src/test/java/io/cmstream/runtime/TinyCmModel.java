package io.cmstream.runtime;

import io.cmstream.common.clip.ClipSpec;
import io.cmstream.runtime.onnx.Attribute;
import io.cmstream.runtime.onnx.Dim;
import io.cmstream.runtime.onnx.ElementType;
import io.cmstream.runtime.onnx.GraphBuilder;
import io.cmstream.runtime.onnx.OnnxModelWriter;
import io.cmstream.schemas.manifest.ModelManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test fixture (runtime's test-jar, used by the detector's tests): a genuine small CM model written
 * as the two ONNX graphs of the contract, with seeded random weights: batched encoder (format 2, a
 * batch of N clips) = 1x1x1 conv + ReLU + average pool over (T, 4, 4) to a C-channel map X per
 * clip; phi, psi, theta 1x1x1 convs to C'; contribution = phi^T psi over positions, key = mean
 * theta, weight = number of positions, roi_feats = RoIAlign(7x7, half-pixel) of each box's clip
 * ({@code box_clip} as the op's batch indices) + spatial max. Head = gate (1 + sigmoid(key . memory
 * . W)) on roi_feats, two-layer MLP, sigmoid.
 */
public final class TinyCmModel {

  public static final int CHANNELS = 8;
  public static final int MEMORY_DIM = 4;
  public static final int HIDDEN = 6;
  public static final int CLASSES = 3;

  /** 4 frames, stride 1, 4 fps, short side 32: a 32x32 frame gives an 8x8 feature map. */
  public static final ClipSpec CLIP_SPEC = ClipSpec.of(4, 1, 4.0, 32);

  private TinyCmModel() {}

  public static byte[] encoder(long seed) {
    Random rnd = new Random(seed);
    int t = CLIP_SPEC.frames();
    GraphBuilder g = new GraphBuilder("tiny_encoder");
    String clip =
        g.input(
            "clip",
            ElementType.FLOAT,
            Dim.dynamic("N"),
            Dim.of(3),
            Dim.of(t),
            Dim.dynamic("H"),
            Dim.dynamic("W"));
    String boxes = g.input("boxes", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(4));
    String boxClip = g.input("box_clip", ElementType.INT64, Dim.dynamic("R"));
    String conv =
        g.op(
            "Conv",
            List.of(
                clip,
                g.initializer("w_stem", random(rnd, CHANNELS * 3, 0.5f), CHANNELS, 3, 1, 1, 1),
                g.initializer("b_stem", random(rnd, CHANNELS, 0.1f), CHANNELS)));
    String relu = g.op("Relu", conv);
    String x =
        g.op(
            "AveragePool",
            List.of(relu),
            Attribute.ints("kernel_shape", t, 4, 4),
            Attribute.ints("strides", t, 4, 4));
    String phi = conv1(g, rnd, x, "phi");
    String psi = conv1(g, rnd, x, "psi");
    String theta = conv1(g, rnd, x, "theta");
    // [N, C', L] per clip (0 copies N)
    String flat = g.longs("flat_shape", 0, MEMORY_DIM, -1);
    String phiF = g.op("Reshape", phi, flat);
    String psiF = g.op("Reshape", psi, flat);
    String thetaF = g.op("Reshape", theta, flat);
    String contribution =
        g.op(
            "MatMul",
            List.of(phiF, g.op("Transpose", List.of(psiF), Attribute.ints("perm", 0, 2, 1))));
    String key =
        g.op("ReduceMean", List.of(thetaF), Attribute.ints("axes", 2), Attribute.of("keepdims", 0));
    String positions = g.op("Slice", g.op("Shape", phiF), g.longs("s1", 2), g.longs("s2", 3));
    String weight = g.op("Cast", List.of(positions), Attribute.of("to", ElementType.FLOAT.code()));
    // RoI features on the time-pooled maps [N, C, H', W'], each box on its clip's map
    String x2 = g.op("Squeeze", x, g.longs("axis2", 2));
    String mapShape = g.op("Shape", x2);
    String hw =
        g.op(
            "Cast",
            List.of(g.op("Slice", mapShape, g.longs("s_hw0", 2), g.longs("s_hw1", 4))),
            Attribute.of("to", ElementType.FLOAT.code()));
    String wh =
        g.op(
            "Concat",
            List.of(
                g.op("Slice", hw, g.longs("w0", 1), g.longs("w1", 2)),
                g.op("Slice", hw, g.longs("h0", 0), g.longs("h1", 1))),
            Attribute.of("axis", 0));
    String scale = g.op("Concat", List.of(wh, wh), Attribute.of("axis", 0));
    String rois = g.op("Mul", boxes, scale);
    String aligned =
        g.op(
            "RoiAlign",
            List.of(x2, rois, boxClip),
            Attribute.of("output_height", 7),
            Attribute.of("output_width", 7),
            Attribute.of("sampling_ratio", 2),
            Attribute.of("coordinate_transformation_mode", "half_pixel"),
            Attribute.of("mode", "avg"));
    String roiFeats =
        g.op(
            "ReduceMax",
            List.of(aligned),
            Attribute.ints("axes", 2, 3),
            Attribute.of("keepdims", 0));
    g.output(roiFeats, "roi_feats", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(CHANNELS));
    g.output(key, "key", ElementType.FLOAT, Dim.dynamic("N"), Dim.of(MEMORY_DIM));
    g.output(
        contribution,
        "contribution",
        ElementType.FLOAT,
        Dim.dynamic("N"),
        Dim.of(MEMORY_DIM),
        Dim.of(MEMORY_DIM));
    g.output(weight, "weight", ElementType.FLOAT, Dim.of(1));
    return new OnnxModelWriter().toBytes(g.model("test", Map.of()));
  }

  public static byte[] head(long seed) {
    Random rnd = new Random(seed + 1);
    GraphBuilder g = new GraphBuilder("tiny_head");
    String roi = g.input("roi_feats", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(CHANNELS));
    String key = g.input("key", ElementType.FLOAT, Dim.of(MEMORY_DIM));
    String memory = g.input("memory", ElementType.FLOAT, Dim.of(MEMORY_DIM), Dim.of(MEMORY_DIM));
    String km = g.op("MatMul", g.op("Unsqueeze", key, g.longs("axis0", 0)), memory);
    String gateIn =
        g.op(
            "MatMul",
            km,
            g.initializer("w_gate", random(rnd, MEMORY_DIM * CHANNELS, 1f), MEMORY_DIM, CHANNELS));
    String gate = g.op("Add", g.scalar("one", 1f), g.op("Sigmoid", gateIn));
    String gated = g.op("Mul", roi, gate);
    String h =
        g.op(
            "Relu",
            g.op(
                "Gemm",
                gated,
                g.initializer("w1", random(rnd, CHANNELS * HIDDEN, 0.7f), CHANNELS, HIDDEN),
                g.initializer("b1", random(rnd, HIDDEN, 0.1f), HIDDEN)));
    String logits =
        g.op(
            "Gemm",
            h,
            g.initializer("w2", random(rnd, HIDDEN * CLASSES, 0.7f), HIDDEN, CLASSES),
            g.initializer("b2", random(rnd, CLASSES, 0.1f), CLASSES));
    g.output(
        g.op("Sigmoid", logits), "scores", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(CLASSES));
    return new OnnxModelWriter().toBytes(g.model("test", Map.of()));
  }

  /** Its manifest, as trainer export writes it: trained (nominally) with back 2, ahead 2. */
  public static ModelManifest manifest(long seed) {
    List<ModelManifest.ClassEntry> classes = new ArrayList<>();
    for (int k = 1; k <= CLASSES; k++) {
      classes.add(new ModelManifest.ClassEntry(k, "action" + k));
    }
    return new ModelManifest(
        ModelManifest.FORMAT_VERSION,
        "tiny",
        String.valueOf(seed),
        "test",
        17,
        new ModelManifest.Clip(
            CLIP_SPEC.frames(),
            CLIP_SPEC.stride(),
            CLIP_SPEC.fps(),
            CLIP_SPEC.shortSide(),
            0,
            List.of(0.45, 0.45, 0.45),
            List.of(0.225, 0.225, 0.225)),
        new ModelManifest.Dims(CHANNELS, MEMORY_DIM, CLASSES, 5),
        new ModelManifest.Window(2, 2),
        classes,
        new ModelManifest.Training("random weights (detector tests)", seed, 0.0, List.of()),
        Map.of());
  }

  /** Writes the model of {@code seed} as a sealed bundle folder (what trainer export produces). */
  public static Path write(Path dir, long seed) throws IOException {
    return TinyBundle.write(dir, manifest(seed), encoder(seed), head(seed));
  }

  private static String conv1(GraphBuilder g, Random rnd, String x, String name) {
    return g.op(
        "Conv",
        x,
        g.initializer(
            "w_" + name, random(rnd, MEMORY_DIM * CHANNELS, 0.6f), MEMORY_DIM, CHANNELS, 1, 1, 1));
  }

  private static float[] random(Random rnd, int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextGaussian() * scale);
    }
    return v;
  }
}
