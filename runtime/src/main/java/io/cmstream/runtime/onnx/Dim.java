package io.cmstream.runtime.onnx;

import java.util.Objects;

/**
 * One dimension of a graph input or output: a fixed size ({@code dim_value}) or a symbolic, dynamic
 * one ({@code dim_param}, e.g. "R" for the number of boxes).
 */
public record Dim(long value, String param) {

  public Dim {
    if (param == null && value < 0) {
      throw new IllegalArgumentException("dimension must be >= 0: " + value);
    }
    if (param != null && param.isBlank()) {
      throw new IllegalArgumentException("symbolic dimension needs a name");
    }
  }

  /** A fixed dimension. */
  public static Dim of(long value) {
    return new Dim(value, null);
  }

  /** A dynamic dimension named {@code name}. */
  public static Dim dynamic(String name) {
    return new Dim(-1, Objects.requireNonNull(name, "name"));
  }

  public boolean isDynamic() {
    return param != null;
  }

  @Override
  public String toString() {
    return isDynamic() ? param : Long.toString(value);
  }
}
