package io.cmstream.runtime.onnx;

/** Tensor element types of ONNX ({@code TensorProto.DataType}), the ones this project writes. */
public enum ElementType {
  FLOAT(1, 4),
  INT32(6, 4),
  INT64(7, 8),
  BOOL(9, 1);

  private final int code;
  private final int bytes;

  ElementType(int code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  /** The {@code TensorProto.DataType} number written to the model file. */
  public int code() {
    return code;
  }

  /** Bytes per element in {@code raw_data} (little endian). */
  public int bytes() {
    return bytes;
  }
}
