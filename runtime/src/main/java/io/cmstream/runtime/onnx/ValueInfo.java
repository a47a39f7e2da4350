package io.cmstream.runtime.onnx;

import java.util.List;
import java.util.Objects;

/** A typed graph input or output ({@code ValueInfoProto} with a tensor type and shape). */
public record ValueInfo(String name, ElementType type, List<Dim> shape) {

  public ValueInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = List.copyOf(shape);
  }
}
