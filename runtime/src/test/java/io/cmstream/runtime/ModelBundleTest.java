package io.cmstream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtProvider;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.InvalidBundleException;
import io.cmstream.schemas.manifest.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

  private static final SessionSettings CPU = SessionSettings.on(Device.CPU);

  @TempDir Path dir;

  private final TinyBundle tiny = TinyBundle.small();

  private String refusal(Path bundle) {
    return assertThrows(InvalidBundleException.class, () -> ModelBundle.open(bundle, CPU).close())
        .getMessage();
  }

  @Test
  void shouldOpenAVerifiedBundleOnTheCpu() throws IOException {
    tiny.write(dir);

    try (ModelBundle bundle = ModelBundle.open(dir, CPU)) {
      assertEquals(OrtProvider.CPU, bundle.provider());
      assertEquals("tiny-test:1", bundle.manifest().qualifiedId());
      assertEquals(new WindowSpan(2, 1), bundle.window());
      assertEquals(new WindowSpan(2, 0), bundle.window(0));
      ClipSpec spec = bundle.clipSpec();
      assertEquals(4, spec.frames());
      assertEquals(8, spec.shortSide());
      assertArrayEquals(new float[] {0.45f, 0.45f, 0.4f}, spec.mean());
      assertArrayEquals(new float[] {0.225f, 0.225f, 0.25f}, spec.std());
    }
  }

  @Test
  void shouldRefuseAheadBeyondTheTrainingWindow() throws IOException {
    tiny.write(dir);
    try (ModelBundle bundle = ModelBundle.open(dir, CPU)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> bundle.window(2));
      assertEquals(
          "ahead must be in [0, 1] (the model was trained with ahead 1), got 2", e.getMessage());
    }
  }

  @Test
  void shouldRefuseAnAlteredGraphNamingTheFile() throws IOException {
    tiny.write(dir);
    byte[] bytes = Files.readAllBytes(dir.resolve("encoder.onnx"));
    bytes[bytes.length - 5] ^= 1;
    Files.write(dir.resolve("encoder.onnx"), bytes);

    assertTrue(refusal(dir).contains("file encoder.onnx was altered"), refusal(dir));
  }

  @Test
  void shouldRefuseAMissingFileNamingIt() throws IOException {
    tiny.write(dir);
    Files.delete(dir.resolve("params/tiny-0001.params"));

    assertTrue(refusal(dir).contains("file params/tiny-0001.params is missing"), refusal(dir));
  }

  @Test
  void shouldRefuseAnUnsupportedOpset() throws IOException {
    ModelManifest manifest = withOpset(tiny.manifest(), 99);
    tiny.write(dir, manifest, 99);

    String message = refusal(dir);

    assertTrue(
        message.endsWith("encoder.onnx uses opset 99, which is not supported (supported: 17..23)"),
        message);
  }

  @Test
  void shouldRefuseAnOpsetOtherThanTheManifestSays() throws IOException {
    tiny.write(dir, withOpset(tiny.manifest(), 18), 17);

    assertTrue(
        refusal(dir).endsWith("encoder.onnx uses opset 17 but the manifest says 18"), refusal(dir));
  }

  @Test
  void shouldRefuseGraphsWhoseShapesDisagreeWithTheManifest() throws IOException {
    ModelManifest m = tiny.manifest();
    ModelManifest wrongC =
        variant(
            m,
            1,
            m.opset(),
            m.clip(),
            new ModelManifest.Dims(8, m.dims().memoryChannels(), m.dims().numClasses(), 3));
    tiny.write(dir, wrongC, 17);

    String message = refusal(dir);

    assertTrue(
        message.endsWith(
            "encoder.onnx output roi_feats has shape [R, 6] but the manifest implies [R, 8]"),
        message);
  }

  @Test
  void shouldRefuseAOneClipEncoderInAFormatTwoBundle() throws IOException {
    ModelManifest m = tiny.manifest();
    ModelManifest two = variant(m, 2, m.opset(), m.clip(), m.dims());
    tiny.write(dir, two, 17);

    String message = refusal(dir);

    assertTrue(
        message.endsWith(
            "encoder.onnx has inputs [clip, boxes] but the contract needs [clip, boxes, box_clip]"),
        message);
  }

  @Test
  void shouldRefuseAClipSizeOtherThanTheGraphTakes() throws IOException {
    ModelManifest m = tiny.manifest();
    ModelManifest.Clip c = m.clip();
    ModelManifest wrongT =
        variant(
            m,
            1,
            m.opset(),
            new ModelManifest.Clip(
                8, c.stride(), c.fps(), c.shortSide(), c.cropSize(), c.mean(), c.std()),
            m.dims());
    tiny.write(dir, wrongT, 17);

    String message = refusal(dir);

    assertTrue(
        message.endsWith(
            "encoder.onnx input clip has shape [1, 3, 4, 8, 8] but the manifest implies [1, 3, 8, *, *]"),
        message);
  }

  @Test
  void shouldRefuseALabelMapThatDisagreesWithTheManifest() throws IOException {
    tiny.write(dir);
    Files.writeString(
        dir.resolve("labelmap.pbtxt"),
        "item { name: \"other\" id: 1 }\nitem { name: \"action2\" id: 2 }\n");
    BundleManifests.seal(dir, tiny.manifest());

    String message = refusal(dir);

    assertTrue(
        message.contains("labelmap.pbtxt has classes {1=other, 2=action2} but the manifest lists"),
        message);
  }

  @Test
  void shouldRefuseAFileThatIsNotOnnx() throws IOException {
    tiny.write(dir);
    Files.writeString(dir.resolve("context_head.onnx"), "this is not a protobuf \u0000\u00ff");
    BundleManifests.seal(dir, tiny.manifest());

    String message = refusal(dir);

    assertTrue(message.contains("context_head.onnx"), message);
  }

  @Test
  void shouldNameTheBundleFolderInEveryRefusal() {
    String message = refusal(dir);
    assertEquals("model bundle " + dir + ": manifest.json is missing", message);
  }

  private static ModelManifest withOpset(ModelManifest m, int opset) {
    return variant(m, 1, opset, m.clip(), m.dims());
  }

  /** m with another format version, opset, clip or dims, and no file hashes (written on seal). */
  private static ModelManifest variant(
      ModelManifest m,
      int formatVersion,
      int opset,
      ModelManifest.Clip clip,
      ModelManifest.Dims dims) {
    return new ModelManifest(
        formatVersion,
        m.modelId(),
        m.modelVersion(),
        m.preset(),
        opset,
        clip,
        dims,
        m.window(),
        m.classes(),
        m.training(),
        Map.of());
  }
}
