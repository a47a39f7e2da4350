package io.cmstream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.cmstream.runtime.onnx.Attribute;
import io.cmstream.runtime.onnx.Dim;
import io.cmstream.runtime.onnx.ElementType;
import io.cmstream.runtime.onnx.GraphBuilder;
import io.cmstream.runtime.onnx.OnnxModelWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runners on small graphs with the contract's names whose outputs are easy to compute by hand:
 * roi_feats = boxes (C = 4), key = per-channel mean of the clip (C' = 3), contribution = key^T key,
 * weight = T*H*W; head scores = sigmoid(sum(roi_feats * (1 + key . memory))).
 */
class RunnersTest {
  private static final ElementType F = ElementType.FLOAT;

  static OrtSession session(GraphBuilder g) throws OrtException {
    return OrtEnvironment.getEnvironment()
        .createSession(
            new OnnxModelWriter().toBytes(g.model("test", Map.of())),
            new OrtSession.SessionOptions());
  }

  static GraphBuilder encoder() {
    GraphBuilder g = new GraphBuilder("enc");
    String clip =
        g.input(
            "clip", F, Dim.of(1), Dim.of(3), Dim.dynamic("T"), Dim.dynamic("H"), Dim.dynamic("W"));
    String boxes = g.input("boxes", F, Dim.dynamic("R"), Dim.of(4));
    String key =
        g.op(
            "ReduceMean",
            List.of(clip),
            Attribute.ints("axes", 0, 2, 3, 4),
            Attribute.of("keepdims", 0L));
    String col = g.op("Reshape", key, g.longs("col", 3, 1));
    String row = g.op("Reshape", key, g.longs("row", 1, 3));
    String l =
        g.op(
            "Cast",
            List.of(
                g.op(
                    "ReduceProd",
                    List.of(g.op("Gather", g.op("Shape", clip), g.longs("thw", 2, 3, 4))),
                    Attribute.of("keepdims", 1L))),
            Attribute.of("to", 1L));
    g.output(g.op("Identity", boxes), "roi_feats", F, Dim.dynamic("R"), Dim.of(4));
    g.output(key, "key", F, Dim.of(3));
    g.output(g.op("MatMul", col, row), "contribution", F, Dim.of(3), Dim.of(3));
    g.output(l, "weight", F, Dim.of(1));
    return g;
  }

  static GraphBuilder head() {
    GraphBuilder g = new GraphBuilder("head");
    String roi = g.input("roi_feats", F, Dim.dynamic("R"), Dim.of(4));
    String key = g.input("key", F, Dim.of(3));
    String mem = g.input("memory", F, Dim.of(3), Dim.of(3));
    String km =
        g.op(
            "ReduceSum",
            List.of(g.op("MatMul", key, mem), g.longs("ax", 0)),
            Attribute.of("keepdims", 1L));
    String gated = g.op("Mul", roi, g.op("Add", km, g.scalar("one", 1f)));
    String s =
        g.op(
            "Sigmoid",
            g.op("ReduceSum", List.of(gated, g.longs("ax1", 1)), Attribute.of("keepdims", 1L)));
    g.output(s, "scores", F, Dim.dynamic("R"), Dim.of(1));
    return g;
  }

  @Test
  void shouldEncodeClipAndScoreBoxesThroughTheContractNames() throws OrtException {
    // clip [3,T=1,H=1,W=2]: channel means 1.5, 2, 0
    float[] clip = {1, 2, 2, 2, -1, 1};
    float[] boxes = {0.1f, 0.2f, 0.3f, 0.4f, 0, 0, 1, 1};
    try (EncoderRunner enc = new EncoderRunner(session(encoder()), 4, 3);
        ContextHeadRunner head = new ContextHeadRunner(session(head()), 4, 3, 1)) {
      EncoderOutput out = enc.encode(clip, 1, 1, 2, boxes);
      assertEquals(2, out.boxes());
      assertArrayEquals(new float[] {1.5f, 2, 0}, out.key());
      assertEquals(2f, out.weight());
      assertArrayEquals(boxes, out.roiFeats());
      float[] memory = new MemoryWindow(3).add(out).memory(); // key^T key / 2
      assertEquals(1.5f * 2 / 2, memory[1], 1e-6);
      float[][] s = head.scores(out, memory);
      // key . memory = (key . key) key / 2 = 6.25 * key / 2 -> sum = 6.25 * 3.5 / 2
      double gate = 1 + 6.25 * 3.5 / 2;
      assertEquals(1 / (1 + Math.exp(-gate * 1.0)), s[0][0], 1e-5);
      assertEquals(1 / (1 + Math.exp(-gate * 2.0)), s[1][0], 1e-5);
      assertEquals(0, head.scores(enc.encode(clip, 1, 1, 2, new float[0]), memory).length);
    }
  }

  @Test
  void shouldRefuseGraphsThatBreakTheContract() throws OrtException {
    IllegalArgumentException wrongC =
        assertThrows(
            IllegalArgumentException.class, () -> new EncoderRunner(session(encoder()), 8, 3));
    assertTrue(wrongC.getMessage().contains("roi_feats"), wrongC.getMessage());
    IllegalArgumentException noScores =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ContextHeadRunner(session(encoder()), 4, 3, 1));
    assertTrue(
        noScores.getMessage().startsWith("context_head.onnx has no input"), noScores.getMessage());
  }

  @Test
  void shouldAverageContributionsByTotalWeight() {
    MemoryWindow w = new MemoryWindow(1).add(new float[] {10}, 2).add(new float[] {2}, 2);
    assertArrayEquals(new float[] {3}, w.memory());
    assertEquals(2, w.seconds());
    assertThrows(IllegalStateException.class, () -> new MemoryWindow(2).memory());
    assertThrows(IllegalArgumentException.class, () -> new MemoryWindow(2).add(new float[3], 1));
  }
}
