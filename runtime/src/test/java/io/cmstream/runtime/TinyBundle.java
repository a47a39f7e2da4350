package io.cmstream.runtime;

import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.runtime.onnx.Attribute;
import io.cmstream.runtime.onnx.Dim;
import io.cmstream.runtime.onnx.ElementType;
import io.cmstream.runtime.onnx.GraphBuilder;
import io.cmstream.runtime.onnx.OnnxModel;
import io.cmstream.runtime.onnx.OnnxModelWriter;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test fixture (runtime's test-jar): a small but real model bundle following the graph contract,
 * written with the runtime.onnx writer, plus a plain-Java reference of what its graphs compute; and
 * the one writer of sealed tiny bundle folders ({@link #write(Path, ModelManifest, byte[],
 * byte[])}, also for {@link TinyCmModel}).
 *
 * <p>encoder: p = mean over (T,H,W) of the clip [3]; roi_feats = boxes.Wb + p.Wp; key = p.Wk;
 * contribution = L * outer(key, p.Wv); weight = L. head: gate = 1 + sigmoid(key.memory.Wg); scores
 * = sigmoid((roi_feats * gate).Wh).
 */
public final class TinyBundle {

  final int t;
  final int h;
  final int w;
  final int c;
  final int cp;
  final int k;
  final float positions;
  final float[] wp;
  final float[] wb;
  final float[] wk;
  final float[] wv;
  final float[] wg;
  final float[] wh;

  TinyBundle(int t, int h, int w, int c, int cp, int k, long seed) {
    this.t = t;
    this.h = h;
    this.w = w;
    this.c = c;
    this.cp = cp;
    this.k = k;
    this.positions = t * h * w / 4f;
    Random random = new Random(seed);
    wp = random(random, 3 * c);
    wb = random(random, 4 * c);
    wk = random(random, 3 * cp);
    wv = random(random, 3 * cp);
    wg = random(random, cp * c);
    wh = random(random, c * k);
  }

  static TinyBundle small() {
    return new TinyBundle(4, 8, 8, 6, 3, 2, 42);
  }

  OnnxModel encoderModel(long opset) {
    GraphBuilder g = new GraphBuilder("encoder");
    String clip =
        g.input("clip", ElementType.FLOAT, Dim.of(1), Dim.of(3), Dim.of(t), Dim.of(h), Dim.of(w));
    String boxes = g.input("boxes", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(4));
    String pooled =
        g.op(
            "ReduceMean",
            List.of(clip),
            Attribute.ints("axes", 0, 2, 3, 4),
            Attribute.of("keepdims", 0L));
    String roi =
        g.op(
            "Add",
            g.op("MatMul", boxes, g.initializer("wb", wb, 4, c)),
            g.op("MatMul", pooled, g.initializer("wp", wp, 3, c)));
    String key = g.op("MatMul", pooled, g.initializer("wk", wk, 3, cp));
    String v = g.op("MatMul", pooled, g.initializer("wv", wv, 3, cp));
    String outer =
        g.op(
            "MatMul",
            g.op("Unsqueeze", key, g.longs("axis1", 1)),
            g.op("Unsqueeze", v, g.longs("axis0", 0)));
    String contribution = g.op("Mul", outer, g.scalar("positions", positions));
    String weight = g.initializer("weight_value", new float[] {positions}, 1);
    g.output(roi, "roi_feats", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(c));
    g.output(key, "key", ElementType.FLOAT, Dim.of(cp));
    g.output(contribution, "contribution", ElementType.FLOAT, Dim.of(cp), Dim.of(cp));
    g.output(weight, "weight", ElementType.FLOAT, Dim.of(1));
    return withOpset(g.model("test", Map.of()), opset);
  }

  OnnxModel headModel(long opset) {
    GraphBuilder g = new GraphBuilder("context_head");
    String roi = g.input("roi_feats", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(c));
    String key = g.input("key", ElementType.FLOAT, Dim.of(cp));
    String memory = g.input("memory", ElementType.FLOAT, Dim.of(cp), Dim.of(cp));
    String gate =
        g.op(
            "Add",
            g.op(
                "Sigmoid",
                g.op("MatMul", g.op("MatMul", key, memory), g.initializer("wg", wg, cp, c))),
            g.scalar("one", 1f));
    String scores =
        g.op("Sigmoid", g.op("MatMul", g.op("Mul", roi, gate), g.initializer("wh", wh, c, k)));
    g.output(scores, "scores", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(k));
    return withOpset(g.model("test", Map.of()), opset);
  }

  ModelManifest manifest() {
    List<ModelManifest.ClassEntry> classes = new java.util.ArrayList<>();
    for (int i = 1; i <= k; i++) {
      classes.add(new ModelManifest.ClassEntry(i, "action" + i));
    }
    return new ModelManifest(
        1,
        "tiny-test",
        "1",
        "test",
        17,
        new ModelManifest.Clip(
            t, 2, 30, Math.min(h, w), 0, List.of(0.45, 0.45, 0.4), List.of(0.225, 0.225, 0.25)),
        new ModelManifest.Dims(c, cp, k, 3),
        new ModelManifest.Window(2, 1),
        classes,
        new ModelManifest.Training("unit-test fixture", 42, 0.5, List.of("TinyBundle.write")),
        Map.of());
  }

  /** Writes and seals a complete bundle into {@code dir}. */
  Path write(Path dir) throws IOException {
    return write(dir, manifest(), 17);
  }

  Path write(Path dir, ModelManifest manifest, long opset) throws IOException {
    OnnxModelWriter writer = new OnnxModelWriter();
    return write(
        dir, manifest, writer.toBytes(encoderModel(opset)), writer.toBytes(headModel(opset)));
  }

  /**
   * Writes a complete bundle folder as trainer export does (the two graphs, the label map of the
   * manifest's classes, a parameter file) and seals it with the manifest.
   */
  public static Path write(Path dir, ModelManifest manifest, byte[] encoder, byte[] head)
      throws IOException {
    Files.createDirectories(dir.resolve("params"));
    Files.write(dir.resolve(ModelManifest.ENCODER), encoder);
    Files.write(dir.resolve(ModelManifest.CONTEXT_HEAD), head);
    LabelMap labels =
        new LabelMap(
            manifest.classes().stream().map(e -> new LabelMap.Label(e.id(), e.name())).toList());
    LabelMapPbtxt.write(dir.resolve(ModelManifest.LABEL_MAP), labels, LabelMap.Dialect.ITEM);
    Files.write(dir.resolve("params/tiny-0001.params"), new byte[] {1, 2, 3, 4});
    BundleManifests.seal(dir, manifest);
    return dir;
  }

  // ---- reference ----

  float[] pooled(float[] clip) {
    int n = t * h * w;
    float[] p = new float[3];
    for (int ch = 0; ch < 3; ch++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += clip[ch * n + i];
      }
      p[ch] = (float) (sum / n);
    }
    return p;
  }

  EncoderOutput encode(float[] clip, float[] boxes) {
    float[] p = pooled(clip);
    int r = boxes.length / 4;
    float[] pf = vecMat(p, wp, 3, c);
    float[] roi = new float[r * c];
    for (int b = 0; b < r; b++) {
      float[] bf = vecMat(java.util.Arrays.copyOfRange(boxes, b * 4, b * 4 + 4), wb, 4, c);
      for (int j = 0; j < c; j++) {
        roi[b * c + j] = bf[j] + pf[j];
      }
    }
    float[] key = vecMat(p, wk, 3, cp);
    float[] v = vecMat(p, wv, 3, cp);
    float[] contribution = new float[cp * cp];
    for (int i = 0; i < cp; i++) {
      for (int j = 0; j < cp; j++) {
        contribution[i * cp + j] = key[i] * v[j] * positions;
      }
    }
    return new EncoderOutput(roi, r, c, key, contribution, positions);
  }

  float[][] scores(EncoderOutput e, float[] memory) {
    float[] gate = vecMat(vecMat(e.key(), memory, cp, cp), wg, cp, c);
    float[][] out = new float[e.boxes()][];
    for (int b = 0; b < e.boxes(); b++) {
      float[] x = java.util.Arrays.copyOfRange(e.roiFeats(), b * c, (b + 1) * c);
      for (int j = 0; j < c; j++) {
        x[j] *= 1 + sigmoid(gate[j]);
      }
      float[] s = vecMat(x, wh, c, k);
      for (int j = 0; j < k; j++) {
        s[j] = sigmoid(s[j]);
      }
      out[b] = s;
    }
    return out;
  }

  float[] randomClip(Random random) {
    return random(random, 3 * t * h * w);
  }

  static float[] randomBoxes(Random random, int r) {
    float[] boxes = new float[r * 4];
    for (int b = 0; b < r; b++) {
      float x1 = random.nextFloat() * 0.5f;
      float y1 = random.nextFloat() * 0.5f;
      boxes[b * 4] = x1;
      boxes[b * 4 + 1] = y1;
      boxes[b * 4 + 2] = x1 + 0.1f + random.nextFloat() * 0.4f;
      boxes[b * 4 + 3] = y1 + 0.1f + random.nextFloat() * 0.4f;
    }
    return boxes;
  }

  private static OnnxModel withOpset(OnnxModel m, long opset) {
    return new OnnxModel(
        m.graph(), m.irVersion(), opset, m.producerName(), m.producerVersion(), m.metadata());
  }

  private static float[] vecMat(float[] v, float[] m, int rows, int cols) {
    float[] out = new float[cols];
    for (int j = 0; j < cols; j++) {
      double sum = 0;
      for (int i = 0; i < rows; i++) {
        sum += (double) v[i] * m[i * cols + j];
      }
      out[j] = (float) sum;
    }
    return out;
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }

  private static float[] random(Random random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextGaussian() * 0.5f;
    }
    return out;
  }
}
