package io.cmstream.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.junit.jupiter.api.Test;

class OnnxModelWriterTest {

  @Test
  void shouldWriteAModelProtoOfTheOfficialSchema() throws InvalidProtocolBufferException {
    GraphBuilder g = new GraphBuilder("all_kinds");
    String x = g.input("x", ElementType.FLOAT, Dim.dynamic("R"), Dim.of(3));
    String y = g.op("LeakyRelu", List.of(x), Attribute.of("alpha", 0.5f));
    g.output(
        g.op("ReduceMean", List.of(y), Attribute.ints("axes", 1), Attribute.of("keepdims", 0L)),
        "y",
        ElementType.FLOAT,
        Dim.dynamic("R"));

    Onnx.ModelProto m =
        Onnx.ModelProto.parseFrom(new OnnxModelWriter().toBytes(g.model("7", Map.of("k", "v"))));

    assertEquals(OnnxModel.IR_VERSION, m.getIrVersion());
    assertEquals("cm-stream", m.getProducerName());
    assertEquals("7", m.getProducerVersion());
    assertEquals(OnnxModel.OPSET, m.getOpsetImport(0).getVersion());
    assertEquals("", m.getOpsetImport(0).getDomain());
    assertEquals("v", m.getMetadataProps(0).getValue());
    Onnx.ValueInfoProto in = m.getGraph().getInput(0);
    assertEquals("R", in.getType().getTensorType().getShape().getDim(0).getDimParam());
    assertEquals(3, in.getType().getTensorType().getShape().getDim(1).getDimValue());
    assertEquals(Onnx.TensorProto.DataType.FLOAT_VALUE, in.getType().getTensorType().getElemType());
    Onnx.AttributeProto alpha = m.getGraph().getNode(0).getAttribute(0);
    assertEquals(Onnx.AttributeProto.AttributeType.FLOAT, alpha.getType());
    assertEquals(0.5f, alpha.getF());
    Onnx.AttributeProto axes = m.getGraph().getNode(1).getAttribute(0);
    assertEquals(Onnx.AttributeProto.AttributeType.INTS, axes.getType());
    assertEquals(List.of(1L), axes.getIntsList());
  }

  @Test
  void shouldReadAndRewriteAnExportedBundleByteForByte() throws IOException {
    // the demo bundle was written before the writer used the generated classes
    for (String file : List.of("encoder.onnx", "context_head.onnx")) {
      byte[] bytes =
          Files.readAllBytes(Path.of(System.getProperty("cm.demo.bundle", "../models/demo"), file));
      assertArrayEquals(bytes, Onnx.ModelProto.parseFrom(bytes).toByteArray(), file);
    }
  }
}
