package io.cmstream.runtime.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import onnx.Onnx;

/**
 * Writes {@link OnnxModel}s as {@code ModelProto} messages of the official {@code onnx.proto}
 * (classes generated at build time from {@code src/main/proto/onnx/onnx.proto}). The output is
 * deterministic: the same model gives the same bytes (metadata sorted by key), so a bundle's sha256
 * only changes when the model does.
 */
public final class OnnxModelWriter {

  /** The serialized model. */
  public byte[] toBytes(OnnxModel model) {
    return proto(model).toByteArray();
  }

  /** Writes the model to {@code file} (replacing it). */
  public void write(OnnxModel model, Path file) throws IOException {
    Files.write(file, toBytes(model));
  }

  /** Writes the model to a stream. */
  public void write(OnnxModel model, OutputStream stream) throws IOException {
    stream.write(toBytes(model));
  }

  /** The model as a protobuf message. */
  public Onnx.ModelProto proto(OnnxModel model) {
    Onnx.ModelProto.Builder m =
        Onnx.ModelProto.newBuilder()
            .setIrVersion(model.irVersion())
            .setProducerName(model.producerName())
            .setProducerVersion(model.producerVersion())
            .setGraph(graph(model.graph()))
            .addOpsetImport(
                Onnx.OperatorSetIdProto.newBuilder()
                    .setDomain("")
                    .setVersion(model.opsetVersion()));
    for (Map.Entry<String, String> e : new TreeMap<>(model.metadata()).entrySet()) {
      m.addMetadataProps(
          Onnx.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
    }
    return m.build();
  }

  private static Onnx.GraphProto graph(OnnxGraph graph) {
    Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName(graph.name());
    graph.nodes().forEach(n -> g.addNode(node(n)));
    graph.initializers().forEach(t -> g.addInitializer(tensor(t)));
    graph.inputs().forEach(v -> g.addInput(valueInfo(v)));
    graph.outputs().forEach(v -> g.addOutput(valueInfo(v)));
    return g.build();
  }

  private static Onnx.NodeProto node(OnnxNode node) {
    Onnx.NodeProto.Builder n =
        Onnx.NodeProto.newBuilder()
            .addAllInput(node.inputs())
            .addAllOutput(node.outputs())
            .setName(node.name())
            .setOpType(node.opType());
    node.attributes().forEach(a -> n.addAttribute(attribute(a)));
    return n.build();
  }

  private static Onnx.AttributeProto attribute(Attribute a) {
    Onnx.AttributeProto.Builder b =
        Onnx.AttributeProto.newBuilder().setName(a.name()).setType(a.kind().proto());
    switch (a.kind()) {
      case FLOAT -> b.setF(a.f());
      case INT -> b.setI(a.i());
      case STRING -> b.setS(ByteString.copyFromUtf8(a.s()));
      case TENSOR -> b.setT(tensor(a.t()));
      case FLOATS -> {
        for (float f : a.floats()) {
          b.addFloats(f);
        }
      }
      case INTS -> {
        for (long i : a.ints()) {
          b.addInts(i);
        }
      }
    }
    return b.build();
  }

  private static Onnx.TensorProto tensor(TensorData t) {
    Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder();
    for (long d : t.dims()) {
      b.addDims(d);
    }
    return b.setDataType(t.type().code())
        .setName(t.name())
        .setRawData(ByteString.copyFrom(t.rawUnsafe()))
        .build();
  }

  private static Onnx.ValueInfoProto valueInfo(ValueInfo v) {
    Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
    for (Dim d : v.shape()) {
      Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
      shape.addDim(d.isDynamic() ? dim.setDimParam(d.param()) : dim.setDimValue(d.value()));
    }
    Onnx.TypeProto.Tensor tensor =
        Onnx.TypeProto.Tensor.newBuilder().setElemType(v.type().code()).setShape(shape).build();
    return Onnx.ValueInfoProto.newBuilder()
        .setName(v.name())
        .setType(Onnx.TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }
}
