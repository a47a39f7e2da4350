package io.cmstream.runtime.onnx;

import onnx.Onnx;

/** Tensor element types of ONNX ({@code TensorProto.DataType}), the ones this project writes. */
public enum ElementType {
  FLOAT(Onnx.TensorProto.DataType.FLOAT, 4),
  INT32(Onnx.TensorProto.DataType.INT32, 4),
  INT64(Onnx.TensorProto.DataType.INT64, 8),
  BOOL(Onnx.TensorProto.DataType.BOOL, 1);

  private final Onnx.TensorProto.DataType proto;
  private final int bytes;

  ElementType(Onnx.TensorProto.DataType proto, int bytes) {
    this.proto = proto;
    this.bytes = bytes;
  }

  /** The {@code TensorProto.DataType} number written to the model file. */
  public int code() {
    return proto.getNumber();
  }

  /** Bytes per element in {@code raw_data} (little endian). */
  public int bytes() {
    return bytes;
  }
}
