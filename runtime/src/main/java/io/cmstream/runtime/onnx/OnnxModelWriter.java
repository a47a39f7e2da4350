package io.cmstream.runtime.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@link OnnxModel}s in the protobuf wire format of {@code onnx.proto} (field numbers
 * from the public ONNX specification). The output is deterministic: the same model gives the
 * same bytes, so a bundle's sha256 only changes when the model does.
 */
public final class OnnxModelWriter {

  // ModelProto
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_PRODUCER_VERSION = 3;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  private static final int MODEL_METADATA_PROPS = 14;
  // OperatorSetIdProto
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  // StringStringEntryProto
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  // GraphProto
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  // NodeProto
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  // AttributeProto
  private static final int ATTR_NAME = 1;
  private static final int ATTR_F = 2;
  private static final int ATTR_I = 3;
  private static final int ATTR_S = 4;
  private static final int ATTR_T = 5;
  private static final int ATTR_FLOATS = 7;
  private static final int ATTR_INTS = 8;
  private static final int ATTR_TYPE = 20;
  // TensorProto
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto(.Dimension)
  private static final int VALUE_INFO_NAME = 1;
  private static final int VALUE_INFO_TYPE = 2;
  private static final int TYPE_TENSOR_TYPE = 1;
  private static final int TENSOR_TYPE_ELEM_TYPE = 1;
  private static final int TENSOR_TYPE_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;

  /** The serialized model. */
  public byte[] toBytes(OnnxModel model) {
    return message(out -> writeModel(out, model));
  }

  /** Writes the model to {@code file} (replacing it). */
  public void write(OnnxModel model, Path file) throws IOException {
    Files.write(file, toBytes(model));
  }

  /** Writes the model to a stream. */
  public void write(OnnxModel model, OutputStream stream) throws IOException {
    stream.write(toBytes(model));
  }

  private void writeModel(CodedOutputStream out, OnnxModel model) throws IOException {
    out.writeInt64(MODEL_IR_VERSION, model.irVersion());
    out.writeString(MODEL_PRODUCER_NAME, model.producerName());
    out.writeString(MODEL_PRODUCER_VERSION, model.producerVersion());
    out.writeByteArray(MODEL_GRAPH, message(o -> writeGraph(o, model.graph())));
    out.writeByteArray(
        MODEL_OPSET_IMPORT,
        message(
            o -> {
              o.writeString(OPSET_DOMAIN, "");
              o.writeInt64(OPSET_VERSION, model.opsetVersion());
            }));
    for (Map.Entry<String, String> e : new TreeMap<>(model.metadata()).entrySet()) {
      out.writeByteArray(
          MODEL_METADATA_PROPS,
          message(
              o -> {
                o.writeString(ENTRY_KEY, e.getKey());
                o.writeString(ENTRY_VALUE, e.getValue());
              }));
    }
  }

  private void writeGraph(CodedOutputStream out, OnnxGraph graph) throws IOException {
    for (OnnxNode node : graph.nodes()) {
      out.writeByteArray(GRAPH_NODE, message(o -> writeNode(o, node)));
    }
    out.writeString(GRAPH_NAME, graph.name());
    for (TensorData t : graph.initializers()) {
      out.writeByteArray(GRAPH_INITIALIZER, message(o -> writeTensor(o, t)));
    }
    for (ValueInfo v : graph.inputs()) {
      out.writeByteArray(GRAPH_INPUT, message(o -> writeValueInfo(o, v)));
    }
    for (ValueInfo v : graph.outputs()) {
      out.writeByteArray(GRAPH_OUTPUT, message(o -> writeValueInfo(o, v)));
    }
  }

  private void writeNode(CodedOutputStream out, OnnxNode node) throws IOException {
    for (String in : node.inputs()) {
      out.writeString(NODE_INPUT, in);
    }
    for (String o : node.outputs()) {
      out.writeString(NODE_OUTPUT, o);
    }
    out.writeString(NODE_NAME, node.name());
    out.writeString(NODE_OP_TYPE, node.opType());
    for (Attribute a : node.attributes()) {
      out.writeByteArray(NODE_ATTRIBUTE, message(o -> writeAttribute(o, a)));
    }
  }

  private void writeAttribute(CodedOutputStream out, Attribute a) throws IOException {
    out.writeString(ATTR_NAME, a.name());
    switch (a.kind()) {
      case FLOAT -> out.writeFloat(ATTR_F, a.f());
      case INT -> out.writeInt64(ATTR_I, a.i());
      case STRING -> out.writeString(ATTR_S, a.s());
      case TENSOR -> out.writeByteArray(ATTR_T, message(o -> writeTensor(o, a.t())));
      case FLOATS -> {
        for (float f : a.floats()) {
          out.writeFloat(ATTR_FLOATS, f);
        }
      }
      case INTS -> {
        for (long i : a.ints()) {
          out.writeInt64(ATTR_INTS, i);
        }
      }
    }
    out.writeEnum(ATTR_TYPE, a.kind().code());
  }

  private void writeTensor(CodedOutputStream out, TensorData t) throws IOException {
    for (long d : t.dims()) {
      out.writeInt64(TENSOR_DIMS, d);
    }
    out.writeInt32(TENSOR_DATA_TYPE, t.type().code());
    out.writeString(TENSOR_NAME, t.name());
    out.writeByteArray(TENSOR_RAW_DATA, t.rawUnsafe());
  }

  private void writeValueInfo(CodedOutputStream out, ValueInfo v) throws IOException {
    out.writeString(VALUE_INFO_NAME, v.name());
    byte[] shape =
        message(
            o -> {
              for (Dim d : v.shape()) {
                o.writeByteArray(
                    SHAPE_DIM,
                    message(
                        od -> {
                          if (d.isDynamic()) {
                            od.writeString(DIM_PARAM, d.param());
                          } else {
                            od.writeInt64(DIM_VALUE, d.value());
                          }
                        }));
              }
            });
    byte[] tensorType =
        message(
            o -> {
              o.writeInt32(TENSOR_TYPE_ELEM_TYPE, v.type().code());
              o.writeByteArray(TENSOR_TYPE_SHAPE, shape);
            });
    out.writeByteArray(VALUE_INFO_TYPE, message(o -> o.writeByteArray(TYPE_TENSOR_TYPE, tensorType)));
  }

  @FunctionalInterface
  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
