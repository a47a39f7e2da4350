package io.cmstream.schemas.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleManifestsTest {

  @TempDir Path dir;

  static ModelManifest sample(Map<String, String> files) {
    return new ModelManifest(
        1,
        "cm-tiny-synth",
        "1",
        "tiny",
        17,
        new ModelManifest.Clip(
            8, 4, 30.0, 64, 0, List.of(0.45, 0.45, 0.45), List.of(0.225, 0.225, 0.225)),
        new ModelManifest.Dims(32, 8, 2, 5),
        new ModelManifest.Window(2, 2),
        List.of(new ModelManifest.ClassEntry(1, "stand"), new ModelManifest.ClassEntry(2, "wave")),
        new ModelManifest.Training(
            "synthetic-ava:videos=8",
            7L,
            0.4375,
            List.of("ava-tools synth --out data", "trainer train --data data --preset tiny")),
        files);
  }

  private void writeBundleFiles() throws IOException {
    Files.writeString(dir.resolve("encoder.onnx"), "encoder bytes");
    Files.writeString(dir.resolve("context_head.onnx"), "head bytes");
    Files.writeString(dir.resolve("labelmap.pbtxt"), "item { name: \"stand\" id: 1 }\n");
    Files.createDirectories(dir.resolve("params"));
    Files.write(dir.resolve("params/model-0001.params"), new byte[] {1, 2, 3});
  }

  @Test
  void shouldRoundTripManifestThroughJson() {
    ModelManifest manifest = sample(Map.of("encoder.onnx", "a".repeat(64)));

    String json = BundleManifests.toJson(manifest);

    assertEquals(manifest, BundleManifests.fromJson(json));
    assertTrue(json.indexOf("\"formatVersion\"") < json.indexOf("\"files\""), "stable field order");
  }

  @Test
  void shouldReadBothFormatVersionsAndTellTheEncoderInterface() {
    ModelManifest one = sample(Map.of("encoder.onnx", "a".repeat(64)));
    ModelManifest two =
        BundleManifests.fromJson(
            BundleManifests.toJson(one).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));

    assertEquals(2, two.formatVersion());
    assertTrue(two.batchedEncoder(), "format 2: encoder.onnx takes a batch of clips");
    assertFalse(one.batchedEncoder(), "format 1: encoder.onnx takes one clip");
    assertEquals(two, BundleManifests.fromJson(BundleManifests.toJson(two)));
  }

  @Test
  void shouldSealEveryFileAndVerify() throws IOException {
    writeBundleFiles();

    ModelManifest sealed = BundleManifests.seal(dir, sample(Map.of()));

    assertEquals(
        List.of("context_head.onnx", "encoder.onnx", "labelmap.pbtxt", "params/model-0001.params"),
        List.copyOf(sealed.files().keySet()));
    assertEquals(
        "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81",
        sealed.files().get("params/model-0001.params"),
        "sha256 of bytes 01 02 03");
    assertEquals(sealed, BundleManifests.verify(dir));
  }

  @Test
  void shouldRefuseBundleWithMissingFileNamingIt() throws IOException {
    writeBundleFiles();
    BundleManifests.seal(dir, sample(Map.of()));
    Files.delete(dir.resolve("params/model-0001.params"));

    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> BundleManifests.verify(dir));

    assertTrue(e.getMessage().contains("file params/model-0001.params is missing"), e.getMessage());
  }

  @Test
  void shouldRefuseBundleWithAlteredFileNamingIt() throws IOException {
    writeBundleFiles();
    BundleManifests.seal(dir, sample(Map.of()));
    Files.writeString(dir.resolve("encoder.onnx"), "encoder bytes, tampered");

    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> BundleManifests.verify(dir));

    assertTrue(e.getMessage().contains("file encoder.onnx was altered"), e.getMessage());
  }

  @Test
  void shouldRefuseManifestThatDoesNotListARequiredFile() throws IOException {
    writeBundleFiles();
    ModelManifest sealed = BundleManifests.seal(dir, sample(Map.of()));
    Map<String, String> files = new java.util.TreeMap<>(sealed.files());
    files.remove("context_head.onnx");
    Files.writeString(
        dir.resolve("manifest.json"), BundleManifests.toJson(sealed.withFiles(files)));

    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> BundleManifests.verify(dir));

    assertTrue(
        e.getMessage().contains("context_head.onnx is not listed in manifest.json"),
        e.getMessage());
  }

  @Test
  void shouldRefuseFolderWithoutManifest() {
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> BundleManifests.verify(dir));
    assertTrue(e.getMessage().endsWith("manifest.json is missing"), e.getMessage());
  }

  @Test
  void shouldNameUnknownFieldInManifest() {
    String json =
        BundleManifests.toJson(sample(Map.of()))
            .replace("\"opset\"", "\"presetz\" : \"x\", \"opset\"");

    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> BundleManifests.fromJson(json));

    assertEquals("manifest.json is invalid: unknown field presetz", e.getMessage());
  }

  @Test
  void shouldNameNestedFieldsByTheirPath() {
    String json =
        BundleManifests.toJson(sample(Map.of()))
            .replace("\"name\" : \"wave\"", "\"label\" : \"wave\"");

    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> BundleManifests.fromJson(json));

    assertEquals("manifest.json is invalid: missing field classes[1].name", e.getMessage());
  }

  @Test
  void shouldRefuseAnotherFormatVersionBeforeAnythingElse() {
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> BundleManifests.fromJson("{\"formatVersion\": 3, \"future\": true}"));

    assertEquals(
        "manifest.json has formatVersion 3; this build reads formatVersion 1 and 2",
        e.getMessage());
  }

  @Test
  void shouldNameMissingFieldInManifest() {
    String json = BundleManifests.toJson(sample(Map.of())).replace("\"opset\" : 17,", "");

    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> BundleManifests.fromJson(json));

    assertEquals("manifest.json is invalid: missing field opset", e.getMessage());
  }

  @Test
  void shouldRefuseInvalidValues() {
    String json =
        BundleManifests.toJson(sample(Map.of())).replace("\"frames\" : 8", "\"frames\" : 0");

    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> BundleManifests.fromJson(json));

    assertTrue(e.getMessage().contains("clip.frames must be >= 1, got 0"), e.getMessage());
  }

  @Test
  void shouldRefusePathsLeavingTheBundle() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> sample(Map.of("../secret", "b".repeat(64))));
    assertTrue(e.getMessage().contains("../secret"), e.getMessage());
  }

  @Test
  void shouldRefuseClassCountDifferentFromK() {
    ModelManifest ok = sample(Map.of());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ModelManifest(
                1,
                "m",
                "1",
                "tiny",
                17,
                ok.clip(),
                new ModelManifest.Dims(32, 8, 3, 5),
                ok.window(),
                ok.classes(),
                ok.training(),
                Map.of()));
  }

  @Test
  void shouldWriteManifestWithoutMachinePaths() throws IOException {
    writeBundleFiles();
    BundleManifests.seal(dir, sample(Map.of()));

    String written = Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8);

    assertTrue(!written.contains(dir.toString()), written);
  }
}
