package io.cmstream.trainer.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.ModelManifest;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import io.cmstream.trainer.export.BundleExporter;
import io.cmstream.trainer.model.ModelConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainer import --from mmaction2} on the twin's fixtures ({@code
 * tools/import-parity/mmaction2_twin.py}): the config values read, the background class dropped,
 * the preprocessing that reaches the bundle manifest, a recognizer's backbone, and every refusal in
 * one line.
 */
class MmactionImportTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheAvaConfigAsMmaction2BuildsIt() throws IOException {
    SourceFixture f = SourceFixture.resource("mmaction2-ava-pth");
    MmactionConfig c = MmactionConfig.read(f.config());
    ModelConfig m = c.config();
    assertTrue(c.detection());
    assertTrue(c.background());
    assertEquals(7, c.sourceClasses());
    assertEquals(6, m.numClasses());
    assertEquals(4, m.frames());
    assertEquals(16, m.frameStride());
    assertEquals(256, m.input().shortSide());
    assertEquals(8, m.roiSize());
    assertEquals(0, m.samplingRatio());
    assertFalse(m.legacyRoiAlign());
    assertTrue(m.linearHead());
    assertEquals(0.5f, m.dropout());
    assertEquals(16, m.backbone().spatialStride());
    assertEquals(
        List.of(1, 1, 3, 3), m.backbone().stages().stream().map(s -> s.temporalKernel()).toList());
    assertEquals(
        List.of(1, 2, 2, 1), m.backbone().stages().stream().map(s -> s.spatialStride()).toList());
    assertEquals(
        List.of(1, 1, 1, 1), m.backbone().stages().stream().map(s -> s.dilation()).toList());
    assertEquals(128, m.channels());
    // data_preprocessor mean/std on the 0-255 scale -> the project's [0, 1] scale, RGB
    assertArrayEquals(
        new float[] {123.675f / 255, 116.28f / 255, 103.53f / 255}, m.input().mean(), 1e-7f);
    assertArrayEquals(
        new float[] {58.395f / 255, 57.12f / 255, 57.375f / 255}, m.input().std(), 1e-7f);
  }

  @Test
  void dropsTheBackgroundRowOfTheHeadAndWritesTheSourcePreprocessingIntoTheManifest()
      throws IOException {
    SourceFixture f = SourceFixture.resource("mmaction2-ava-pth");
    Map<String, WeightArray> raw = TorchCheckpoint.readStateDict(f.checkpoint(), "state_dict");
    WeightArray w = raw.get("roi_head.bbox_head.fc_cls.weight");
    WeightArray b = raw.get("roi_head.bbox_head.fc_cls.bias");
    assertArrayEquals(new long[] {7, 128}, w.shape());
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ModelImporter.Result r =
          ModelImporter.run(
              "mmaction2", f.checkpoint(), f.config(), f.labelMap(), dir.resolve("run"), m);
      assertTrue(r.head());
      assertTrue(
          r.notes().stream().anyMatch(n -> n.contains("background class")), r.notes().toString());
      Map<String, NDArray> saved =
          ParamsFile.read(r.checkpoint().resolve(CheckpointMeta.PARAMS), m);
      String fc =
          saved.keySet().stream()
              .filter(k -> k.endsWith("projection_weight"))
              .findFirst()
              .orElseThrow();
      String bias = fc.replace("_weight", "_bias");
      assertArrayEquals(
          Arrays.copyOfRange(w.values(), 128, w.values().length), saved.get(fc).toFloatArray());
      assertArrayEquals(
          Arrays.copyOfRange(b.values(), 1, b.values().length), saved.get(bias).toFloatArray());

      Path bundle = dir.resolve("bundle");
      new BundleExporter("test")
          .export(
              new BundleExporter.Request(
                  r.checkpoint(),
                  bundle,
                  LabelMapPbtxt.read(f.labelMap()),
                  "mmaction2",
                  "1",
                  "none",
                  0,
                  List.of("test")));
      ModelManifest.Clip clip = BundleManifests.read(bundle).clip();
      assertEquals(4, clip.frames());
      assertEquals(16, clip.stride());
      assertEquals(256, clip.shortSide());
      // the manifest's normalisation of the twin's 0-255 RGB pixels is the twin's preprocessed clip
      float[] pixels = floats(f.dir().resolve("pixels.bin"));
      int plane = pixels.length / 3;
      double max = 0;
      for (int i = 0; i < pixels.length; i++) {
        int c = i / plane;
        float v = (float) ((pixels[i] / 255.0 - clip.mean().get(c)) / clip.std().get(c));
        max = Math.max(max, Math.abs(v - f.input()[i]));
      }
      assertTrue(max < 1e-5, "manifest normalisation differs from the source's by " + max);
    }
  }

  @Test
  void aRecognizerBringsTheBackboneOnlyAsTheDetectionBackbone() throws IOException {
    SourceFixture f = SourceFixture.resource("mmaction2-kinetics-pth");
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ModelImporter.Result r =
          ModelImporter.run(
              "mmaction2", f.checkpoint(), f.config(), f.labelMap(), dir.resolve("k"), m);
      assertFalse(r.head());
      assertEquals(1, r.config().backbone().stages().get(3).spatialStride());
      assertEquals(1, r.config().backbone().stages().get(3).dilation());
      assertTrue(
          r.notes().stream().anyMatch(n -> n.contains("res5 at spatial stride 1")),
          r.notes().toString());
      WeightArray stem =
          TorchCheckpoint.readStateDict(f.checkpoint(), "state_dict")
              .get("backbone.conv1.conv.weight");
      Map<String, NDArray> saved =
          ParamsFile.read(r.checkpoint().resolve(CheckpointMeta.PARAMS), m);
      assertArrayEquals(stem.values(), saved.get("01backbone_01stem_01conv_weight").toFloatArray());
      assertEquals(6, CheckpointMeta.read(r.checkpoint()).model().numClasses());
    }
  }

  // ---- refusals ----

  private String refusal(ModelImporter.Source src, Path labelMap) {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      SourceFormatException e =
          assertThrows(
              SourceFormatException.class,
              () -> ModelImporter.write(src, "checkpoint.pth", labelMap, dir.resolve("run"), m));
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertFalse(Files.exists(dir.resolve("run/last/params.bin")), "nothing written");
      return e.getMessage();
    }
  }

  private static ModelImporter.Source ava(Map<String, WeightArray> arrays) throws IOException {
    SourceFixture f = SourceFixture.resource("mmaction2-ava-pth");
    ModelImporter.Source s = ModelImporter.mmaction2(f.checkpoint(), f.config());
    return new ModelImporter.Source(
        s.config(),
        s.detection(),
        s.headClasses(),
        s.bgr(),
        s.naming(),
        arrays == null ? s.arrays() : arrays,
        s.notes());
  }

  private static Map<String, WeightArray> avaArrays() throws IOException {
    return new LinkedHashMap<>(ava(null).arrays());
  }

  @Test
  void refusesMissingAndUnexpectedKeysNamingThem() throws IOException {
    Path labels = SourceFixture.resource("mmaction2-ava-pth").labelMap();
    Map<String, WeightArray> a = avaArrays();
    a.remove("backbone.layer3.2.conv2.conv.weight");
    a.remove("backbone.conv1.bn.running_mean");
    String msg = refusal(ava(a), labels);
    assertTrue(
        msg.contains("misses 2 key(s)")
            && msg.contains("backbone.conv1.bn.running_mean")
            && msg.contains("backbone.layer3.2.conv2.conv.weight"),
        msg);
    a = avaArrays();
    a.put("backbone.layer1_lateral.conv.weight", new WeightArray(new long[] {1}, new float[1]));
    msg = refusal(ava(a), labels);
    assertTrue(
        msg.contains("backbone.layer1_lateral.conv.weight")
            && msg.contains("supported: ResNet3dSlowOnly ResNet-50/101"),
        msg);
  }

  @Test
  void refusesAShapeMismatchWithTheNameAndBothShapes() throws IOException {
    Path labels = SourceFixture.resource("mmaction2-ava-pth").labelMap();
    Map<String, WeightArray> a = avaArrays();
    a.put(
        "backbone.layer2.0.conv2.conv.weight",
        new WeightArray(new long[] {8, 8, 3, 3, 3}, new float[8 * 8 * 27]));
    String msg = refusal(ava(a), labels);
    assertTrue(
        msg.contains(
            "'backbone.layer2.0.conv2.conv.weight' has shape [8, 8, 3, 3, 3], the model expects [8, 8, 1, 3, 3]"),
        msg);
  }

  @Test
  void refusesALabelMapWhoseClassCountIsNotTheHeadsWithoutBackground() throws IOException {
    Path five = dir.resolve("five.pbtxt");
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 7; i++) {
      b.append("item {\n  name: \"c").append(i).append("\"\n  id: ").append(i).append("\n}\n");
    }
    Files.writeString(five, b);
    String msg = refusal(ava(null), five);
    assertEquals("the label map " + five + " has 7 classes but the checkpoint's head has 6", msg);
  }

  /** The AVA fixture's config with one change, read: the refusal's message. */
  private String configRefusal(Consumer<ObjectNode> change) throws IOException {
    ObjectNode root =
        (ObjectNode) JSON.readTree(SourceFixture.resource("mmaction2-ava-pth").config().toFile());
    change.accept(root);
    Path cfg = dir.resolve("config.json");
    JSON.writeValue(cfg.toFile(), root);
    SourceFormatException e =
        assertThrows(SourceFormatException.class, () -> MmactionConfig.read(cfg));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  private static ObjectNode backbone(ObjectNode root) {
    return (ObjectNode) root.path("model").path("backbone");
  }

  private static ObjectNode bboxHead(ObjectNode root) {
    return (ObjectNode) root.path("model").path("roi_head").path("bbox_head");
  }

  @Test
  void refusesArchitecturesOutsideSlowOnlyResNet50And101() throws IOException {
    for (String type : List.of("mmaction.ResNet3dSlowFast", "X3D", "MViT", "ResNet3d")) {
      String msg = configRefusal(r -> backbone(r).put("type", type));
      assertTrue(
          msg.contains("model.backbone.type " + type)
              && msg.contains("supported: ResNet3dSlowOnly ResNet-50/101"),
          msg);
    }
    String msg = configRefusal(r -> backbone(r).put("depth", 18));
    assertTrue(msg.contains("model.backbone.depth 18 is not importable"), msg);
    msg = configRefusal(r -> backbone(r).putArray("non_local").add(0).add(1).add(1).add(0));
    assertTrue(msg.contains("non-local blocks"), msg);
    msg = configRefusal(r -> backbone(r).put("inflate_style", "3x3x3"));
    assertTrue(msg.contains("model.backbone.inflate_style \"3x3x3\" is not importable"), msg);
    msg = configRefusal(r -> bboxHead(r).put("mlp_head", true));
    assertTrue(msg.contains("model.roi_head.bbox_head.mlp_head true is not importable"), msg);
    msg = configRefusal(r -> bboxHead(r).put("spatial_pool_type", "avg"));
    assertTrue(msg.contains("spatial_pool_type \"avg\" is not importable"), msg);
    msg =
        configRefusal(
            r ->
                ((ObjectNode) r.path("model").path("roi_head").path("bbox_roi_extractor"))
                    .put("temporal_pool_mode", "max"));
    assertTrue(msg.contains("temporal pool max before the RoI head is not importable"), msg);
    msg =
        configRefusal(
            r ->
                ((ObjectNode) r.path("model").path("roi_head"))
                    .putObject("shared_head")
                    .put("type", "ACRNHead"));
    assertTrue(msg.contains("model.roi_head.shared_head"), msg);
    msg = configRefusal(r -> backbone(r).put("depth", "fifty"));
    assertTrue(msg.contains("model.backbone.depth must be an integer, got \"fifty\""), msg);
  }

  @Test
  void readsMeanAndStdFromTheNormalizeStepOfAnMmaction2V0Config() throws IOException {
    ObjectNode root =
        (ObjectNode) JSON.readTree(SourceFixture.resource("mmaction2-ava-pth").config().toFile());
    ObjectNode pre = (ObjectNode) root.path("model").path("data_preprocessor");
    pre.remove("mean");
    pre.remove("std");
    ((ObjectNode) root.path("val_pipeline").get(0)).put("clip_len", 8).put("frame_interval", 8);
    ObjectNode norm =
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.path("val_pipeline")).addObject();
    norm.put("type", "Normalize").put("to_bgr", true);
    norm.putArray("mean").add(123.675).add(116.28).add(103.53);
    norm.putArray("std").add(58.395).add(57.12).add(57.375);
    root.remove("test_dataloader");
    Path cfg = dir.resolve("v0.json");
    JSON.writeValue(cfg.toFile(), root);
    MmactionConfig c = MmactionConfig.read(cfg);
    assertTrue(c.bgr());
    assertEquals(8, c.config().frames());
    assertEquals(8, c.config().frameStride());
    // to_bgr: the model saw B, G, R; the RGB clip's channel c is normalised as the model's 2 - c
    assertArrayEquals(
        new float[] {103.53f / 255, 116.28f / 255, 123.675f / 255},
        c.config().input().mean(),
        1e-7f);
    norm.remove("mean");
    JSON.writeValue(cfg.toFile(), root);
    SourceFormatException e =
        assertThrows(SourceFormatException.class, () -> MmactionConfig.read(cfg));
    assertTrue(e.getMessage().contains("no mean/std"), e.getMessage());
  }

  @Test
  void refusesAPythonConfigWithTheCommandThatDumpsIt() throws IOException {
    Path py = dir.resolve("slowonly_ava.py");
    Files.writeString(py, "_base_ = ['../../_base_/default_runtime.py']\n");
    SourceFormatException e =
        assertThrows(SourceFormatException.class, () -> MmactionConfig.read(py));
    assertTrue(
        e.getMessage().contains("is a Python config")
            && e.getMessage().contains("Config.fromfile('slowonly_ava.py').dump('config.json')"),
        e.getMessage());
    Path notModel = dir.resolve("other.json");
    Files.writeString(notModel, "{\"a\": 1}");
    e = assertThrows(SourceFormatException.class, () -> MmactionConfig.read(notModel));
    assertTrue(e.getMessage().contains("no 'model' mapping"), e.getMessage());
  }

  @Test
  void namesWhatACheckpointWithoutStateDictHas() throws IOException {
    SourceFixture f = SourceFixture.resource("pyslowfast-short-pyth");
    SourceFormatException e =
        assertThrows(
            SourceFormatException.class,
            () ->
                ModelImporter.mmaction2(
                    f.checkpoint(), SourceFixture.resource("mmaction2-ava-pth").config()));
    assertTrue(
        e.getMessage().contains("has no 'state_dict'") && e.getMessage().contains("model_state"),
        e.getMessage());
  }

  private static float[] floats(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }
}
