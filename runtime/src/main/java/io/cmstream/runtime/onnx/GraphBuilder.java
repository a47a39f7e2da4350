package io.cmstream.runtime.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an {@link OnnxGraph} step by step: declare inputs, add constants from Java arrays, apply
 * operators (each returns the name of its output value), declare outputs. Value names are checked
 * for uniqueness; nodes must be added in topological order (the natural order of calls).
 *
 * <pre>{@code
 * GraphBuilder g = new GraphBuilder("affine");
 * String x = g.input("x", ElementType.FLOAT, Dim.dynamic("N"), Dim.of(3));
 * String y = g.op("Gemm", List.of(x, g.initializer("w", w, 2, 3), g.initializer("b", b, 2)),
 *     Attribute.of("transB", 1));
 * g.output(g.op("Sigmoid", y), "y", ElementType.FLOAT, Dim.dynamic("N"), Dim.of(2));
 * byte[] onnx = new OnnxModelWriter().toBytes(g.model("1.0", Map.of()));
 * }</pre>
 */
public final class GraphBuilder {

  private final String name;
  private final List<OnnxNode> nodes = new ArrayList<>();
  private final List<TensorData> initializers = new ArrayList<>();
  private final List<ValueInfo> inputs = new ArrayList<>();
  private final List<ValueInfo> outputs = new ArrayList<>();
  private final Set<String> values = new HashSet<>();
  private int counter;

  public GraphBuilder(String name) {
    this.name = name;
  }

  /** Declares a graph input and returns its value name. */
  public String input(String name, ElementType type, Dim... shape) {
    claim(name);
    inputs.add(new ValueInfo(name, type, Arrays.asList(shape)));
    return name;
  }

  /**
   * Declares {@code value} as the graph output {@code name}; adds an Identity node when the value
   * carries another name.
   */
  public void output(String value, String name, ElementType type, Dim... shape) {
    requireKnown(value);
    if (!value.equals(name)) {
      claim(name);
      nodes.add(new OnnxNode("out_" + name, "Identity", List.of(value), List.of(name), List.of()));
    }
    outputs.add(new ValueInfo(name, type, Arrays.asList(shape)));
  }

  /** Adds a float constant of the given dims and returns its name. */
  public String initializer(String name, float[] data, long... dims) {
    return initializer(TensorData.floats(name, data, dims));
  }

  /** Adds a constant tensor and returns its name. */
  public String initializer(TensorData tensor) {
    claim(tensor.name());
    initializers.add(tensor);
    return tensor.name();
  }

  /** Adds a 1-D int64 constant (shapes, axes, indices) and returns its name. */
  public String longs(String name, long... values) {
    return initializer(TensorData.longs(name, values, values.length));
  }

  /** Adds a float scalar constant (rank 0) and returns its name. */
  public String scalar(String name, float value) {
    return initializer(TensorData.floats(name, new float[] {value}));
  }

  /** Applies a single-output operator without attributes. */
  public String op(String opType, String... inputs) {
    return op(opType, List.of(inputs));
  }

  /** Applies a single-output operator and returns the name of its output. */
  public String op(String opType, List<String> inputs, Attribute... attributes) {
    return ops(opType, inputs, 1, attributes).get(0);
  }

  /** Applies an operator with {@code outputCount} outputs and returns their names. */
  public List<String> ops(
      String opType, List<String> inputs, int outputCount, Attribute... attributes) {
    for (String in : inputs) {
      if (!in.isEmpty()) { // "" marks an omitted optional input
        requireKnown(in);
      }
    }
    int id = counter++;
    String nodeName = opType + "_" + id;
    List<String> outs = new ArrayList<>();
    for (int k = 0; k < outputCount; k++) {
      String out = outputCount == 1 ? nodeName : nodeName + "_" + k;
      claim(out);
      outs.add(out);
    }
    nodes.add(new OnnxNode(nodeName, opType, inputs, outs, Arrays.asList(attributes)));
    return outs;
  }

  /** The graph built so far. */
  public OnnxGraph build() {
    if (outputs.isEmpty()) {
      throw new IllegalStateException("graph " + name + " has no outputs");
    }
    return new OnnxGraph(name, nodes, initializers, inputs, outputs);
  }

  /** The graph as a model on IR 8 / opset 17. */
  public OnnxModel model(String producerVersion, Map<String, String> metadata) {
    return OnnxModel.of(build(), producerVersion, metadata);
  }

  private void claim(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("value names must not be empty");
    }
    if (!values.add(value)) {
      throw new IllegalArgumentException("value name used twice in graph " + name + ": " + value);
    }
  }

  private void requireKnown(String value) {
    if (!values.contains(value)) {
      throw new IllegalArgumentException("unknown value in graph " + name + ": " + value);
    }
  }
}
