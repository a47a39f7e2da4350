package io.cmstream.runtime.onnx;

import java.util.Arrays;
import java.util.Objects;
import onnx.Onnx;

/**
 * A node attribute ({@code AttributeProto}). Exactly one value field is used, selected by {@link
 * Kind}, whose numbers are the {@code AttributeProto.AttributeType} values.
 */
public record Attribute(
    String name, Kind kind, long i, float f, String s, long[] ints, float[] floats, TensorData t) {

  /** Attribute types of ONNX that this writer supports ({@code AttributeProto.AttributeType}). */
  public enum Kind {
    FLOAT(Onnx.AttributeProto.AttributeType.FLOAT),
    INT(Onnx.AttributeProto.AttributeType.INT),
    STRING(Onnx.AttributeProto.AttributeType.STRING),
    TENSOR(Onnx.AttributeProto.AttributeType.TENSOR),
    FLOATS(Onnx.AttributeProto.AttributeType.FLOATS),
    INTS(Onnx.AttributeProto.AttributeType.INTS);

    private final Onnx.AttributeProto.AttributeType proto;

    Kind(Onnx.AttributeProto.AttributeType proto) {
      this.proto = proto;
    }

    /** The {@code AttributeProto.AttributeType} of onnx.proto. */
    public Onnx.AttributeProto.AttributeType proto() {
      return proto;
    }
  }

  public Attribute {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    ints = ints == null ? null : ints.clone();
    floats = floats == null ? null : floats.clone();
  }

  public static Attribute of(String name, long value) {
    return new Attribute(name, Kind.INT, value, 0f, null, null, null, null);
  }

  public static Attribute of(String name, float value) {
    return new Attribute(name, Kind.FLOAT, 0, value, null, null, null, null);
  }

  public static Attribute of(String name, String value) {
    return new Attribute(name, Kind.STRING, 0, 0f, Objects.requireNonNull(value), null, null, null);
  }

  public static Attribute ints(String name, long... values) {
    return new Attribute(name, Kind.INTS, 0, 0f, null, values, null, null);
  }

  public static Attribute floats(String name, float... values) {
    return new Attribute(name, Kind.FLOATS, 0, 0f, null, null, values, null);
  }

  public static Attribute tensor(String name, TensorData value) {
    return new Attribute(name, Kind.TENSOR, 0, 0f, null, null, null, Objects.requireNonNull(value));
  }

  @Override
  public long[] ints() {
    return ints == null ? null : ints.clone();
  }

  @Override
  public float[] floats() {
    return floats == null ? null : floats.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attribute a
        && name.equals(a.name)
        && kind == a.kind
        && i == a.i
        && Float.compare(f, a.f) == 0
        && Objects.equals(s, a.s)
        && Arrays.equals(ints, a.ints)
        && Arrays.equals(floats, a.floats)
        && Objects.equals(t, a.t);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, kind, i, f, s, Arrays.hashCode(ints), Arrays.hashCode(floats), t);
  }

  @Override
  public String toString() {
    String v =
        switch (kind) {
          case INT -> Long.toString(i);
          case FLOAT -> Float.toString(f);
          case STRING -> '"' + s + '"';
          case INTS -> Arrays.toString(ints);
          case FLOATS -> Arrays.toString(floats);
          case TENSOR -> t.toString();
        };
    return name + "=" + v;
  }
}
