package io.cmstream.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

  @Test
  void shouldRejectValueNamesUsedTwice() {
    GraphBuilder g = new GraphBuilder("g");
    g.input("x", ElementType.FLOAT, Dim.of(1));
    assertThrows(IllegalArgumentException.class, () -> g.initializer("x", new float[] {1}, 1));
  }

  @Test
  void shouldRejectUnknownInputs() {
    GraphBuilder g = new GraphBuilder("g");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> g.op("Relu", "nope"));
    assertTrue(e.getMessage().contains("nope"));
  }

  @Test
  void shouldRejectTensorDataThatDoesNotFitDims() {
    assertThrows(IllegalArgumentException.class, () -> TensorData.floats("t", new float[3], 2, 2));
  }

  @Test
  void shouldRenameOutputsThroughIdentity() {
    GraphBuilder g = new GraphBuilder("g");
    String x = g.input("x", ElementType.FLOAT, Dim.of(2));
    g.output(g.op("Relu", x), "y", ElementType.FLOAT, Dim.of(2));
    OnnxGraph graph = g.build();
    assertEquals(2, graph.nodes().size());
    assertEquals("Identity", graph.nodes().get(1).opType());
    assertEquals(List.of("y"), graph.nodes().get(1).outputs());
  }

  @Test
  void shouldWriteTheSameBytesForTheSameModel() {
    byte[] a = new OnnxModelWriter().toBytes(tiny().model("1", Map.of("b", "2", "a", "1")));
    byte[] b = new OnnxModelWriter().toBytes(tiny().model("1", Map.of("a", "1", "b", "2")));
    assertArrayEquals(a, b);
  }

  @Test
  void shouldFoldBatchNormPerOutputChannel() {
    ConvBatchNormFold.Folded f =
        ConvBatchNormFold.fold(
            new float[] {1, 2, 3, 4},
            new float[] {1, 0},
            new float[] {2, 1},
            new float[] {0, 1},
            new float[] {1, 0},
            new float[] {3, 0},
            1);
    // channel 0: scale 2/sqrt(4) = 1, bias (1-1)*1+0 = 0; channel 1: scale 1/sqrt(1) = 1, bias 1
    assertArrayEquals(new float[] {1, 2, 3, 4}, f.weight());
    assertArrayEquals(new float[] {0, 1}, f.bias());
  }

  private static GraphBuilder tiny() {
    GraphBuilder g = new GraphBuilder("g");
    String x = g.input("x", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(2));
    String w = g.initializer("w", new float[] {1, 2, 3, 4}, 2, 2);
    g.output(g.op("MatMul", x, w), "y", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(2));
    return g;
  }
}
