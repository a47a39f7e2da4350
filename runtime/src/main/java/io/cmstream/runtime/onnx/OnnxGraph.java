package io.cmstream.runtime.onnx;

import java.util.List;
import java.util.Objects;

/**
 * A computation graph ({@code GraphProto}): nodes in topological order, constants, inputs, outputs.
 */
public record OnnxGraph(
    String name,
    List<OnnxNode> nodes,
    List<TensorData> initializers,
    List<ValueInfo> inputs,
    List<ValueInfo> outputs) {

  public OnnxGraph {
    Objects.requireNonNull(name, "name");
    nodes = List.copyOf(nodes);
    initializers = List.copyOf(initializers);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
