package io.cmstream.runtime.onnx;

import java.util.List;
import java.util.Objects;

/** One operator application ({@code NodeProto}) of the default ONNX domain. */
public record OnnxNode(
    String name,
    String opType,
    List<String> inputs,
    List<String> outputs,
    List<Attribute> attributes) {

  public OnnxNode {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(opType, "opType");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributes = List.copyOf(attributes);
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("node " + name + " (" + opType + ") has no outputs");
    }
  }
}
