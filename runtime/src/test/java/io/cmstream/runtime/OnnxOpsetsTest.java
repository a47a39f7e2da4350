package io.cmstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cmstream.runtime.onnx.OnnxModelWriter;
import java.io.IOException;
import java.util.Map;
import onnx.Onnx;
import org.junit.jupiter.api.Test;

class OnnxOpsetsTest {

  @Test
  void shouldReadTheOpsetOurWriterWrites() throws IOException {
    byte[] model = new OnnxModelWriter().toBytes(TinyBundle.small().headModel(17));

    assertEquals(Map.of("", 17L), OnnxOpsets.read(model));
    assertEquals(17L, OnnxOpsets.supportedDefaultOpset(OnnxOpsets.read(model)));
  }

  @Test
  void shouldReadEveryImportedDomainAndNameAiOnnxTheDefault() throws IOException {
    byte[] model =
        Onnx.ModelProto.newBuilder()
            .setIrVersion(8)
            .setGraph(Onnx.GraphProto.newBuilder().setName("g"))
            .addOpsetImport(
                Onnx.OperatorSetIdProto.newBuilder().setDomain("ai.onnx").setVersion(21))
            .addOpsetImport(
                Onnx.OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1))
            .build()
            .toByteArray();

    assertEquals(Map.of("", 21L, "com.microsoft", 1L), OnnxOpsets.read(model));
  }

  @Test
  void shouldRefuseOpsetsOutsideTheSupportedRange() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxOpsets.supportedDefaultOpset(Map.of("", 11L)));
    assertEquals("uses opset 11, which is not supported (supported: 17..23)", e.getMessage());
  }

  @Test
  void shouldRefuseForeignOperatorDomains() {
    assertThrows(
        IllegalArgumentException.class,
        () -> OnnxOpsets.supportedDefaultOpset(Map.of("", 17L, "com.microsoft", 1L)));
  }

  @Test
  void shouldRefuseAModelWithoutOpset() {
    assertThrows(IllegalArgumentException.class, () -> OnnxOpsets.supportedDefaultOpset(Map.of()));
  }
}
