package io.cmstream.runtime.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A constant tensor (an initializer or a tensor attribute): name, element type, dims and the
 * little-endian bytes written to {@code TensorProto.raw_data}.
 */
public record TensorData(String name, ElementType type, long[] dims, byte[] raw) {

  public TensorData {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    dims = dims.clone();
    long count = elementCount(dims);
    if (count * type.bytes() != raw.length) {
      throw new IllegalArgumentException(
          "tensor " + name + ": " + raw.length + " bytes do not fit dims " + Arrays.toString(dims));
    }
  }

  /** A float tensor of the given dims (row-major data). */
  public static TensorData floats(String name, float[] data, long... dims) {
    checkCount(name, data.length, dims);
    ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    return new TensorData(name, ElementType.FLOAT, dims, buf.array());
  }

  /** An int64 tensor of the given dims (row-major data). */
  public static TensorData longs(String name, long[] data, long... dims) {
    checkCount(name, data.length, dims);
    ByteBuffer buf = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(data);
    return new TensorData(name, ElementType.INT64, dims, buf.array());
  }

  /** Number of elements for the given dims (1 for a scalar). */
  public static long elementCount(long[] dims) {
    long n = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
      }
      n *= d;
    }
    return n;
  }

  private static void checkCount(String name, int length, long[] dims) {
    if (elementCount(dims) != length) {
      throw new IllegalArgumentException(
          "tensor " + name + ": " + length + " values do not fit dims " + Arrays.toString(dims));
    }
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  /** The bytes without a defensive copy, for the writer. */
  byte[] rawUnsafe() {
    return raw;
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorData t
        && name.equals(t.name)
        && type == t.type
        && Arrays.equals(dims, t.dims)
        && Arrays.equals(raw, t.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(dims), Arrays.hashCode(raw));
  }

  @Override
  public String toString() {
    return "TensorData[" + name + " " + type + " " + Arrays.toString(dims) + "]";
  }
}
