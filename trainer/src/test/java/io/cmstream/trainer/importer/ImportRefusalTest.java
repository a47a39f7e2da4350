package io.cmstream.trainer.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal of {@code trainer import}, one clear message each, on the real fixture files. */
class ImportRefusalTest {
  @TempDir Path dir;

  private static final SourceNaming N = SourceNaming.PYSLOWFAST;

  private String refusal(ModelImporter.Source src, Path labelMap) {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      SourceFormatException e =
          assertThrows(
              SourceFormatException.class,
              () -> ModelImporter.write(src, "checkpoint.pyth", labelMap, dir.resolve("run"), m));
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertFalse(Files.exists(dir.resolve("run/last/params.bin")), "nothing written");
      return e.getMessage();
    }
  }

  private static ModelImporter.Source withArrays(
      ModelImporter.Source s, Map<String, WeightArray> arrays) {
    return new ModelImporter.Source(
        s.config(), s.detection(), s.headClasses(), s.bgr(), s.naming(), arrays, s.notes());
  }

  private static ModelImporter.Source fixture(SourceFixture f) {
    return ModelImporter.pySlowFast(f.checkpoint(), f.config());
  }

  @Test
  void refusesAMissingKeyNamingIt() throws IOException {
    SourceFixture f = SourceFixture.resource("pyslowfast-short-pyth");
    ModelImporter.Source src = fixture(f);
    Map<String, WeightArray> arrays = new LinkedHashMap<>(src.arrays());
    arrays.remove("s4.pathway0_res2.branch2.b.weight");
    arrays.remove("s1.pathway0_stem.bn.running_var");
    String msg = refusal(withArrays(src, arrays), f.labelMap());
    assertTrue(
        msg.contains("misses 2 key(s)")
            && msg.contains("s1.pathway0_stem.bn.running_var")
            && msg.contains("s4.pathway0_res2.branch2.b.weight"),
        msg);
  }

  @Test
  void refusesAnUnexpectedKeyNamingItAndWhatIsSupported() throws IOException {
    SourceFixture f = SourceFixture.resource("pyslowfast-short-pyth");
    ModelImporter.Source src = fixture(f);
    Map<String, WeightArray> arrays = new LinkedHashMap<>(src.arrays());
    arrays.put(
        "s1.pathway1_stem.conv.weight",
        new WeightArray(new long[] {2}, new float[2])); // a Fast pathway
    String msg = refusal(withArrays(src, arrays), f.labelMap());
    assertTrue(
        msg.contains("s1.pathway1_stem.conv.weight") && msg.contains("Slow-only ResNet-50/101"),
        msg);
  }

  @Test
  void refusesAShapeMismatchWithTheNameAndBothShapes() throws IOException {
    SourceFixture f = SourceFixture.resource("pyslowfast-short-pyth");
    ModelImporter.Source src = fixture(f);
    Map<String, WeightArray> arrays = new LinkedHashMap<>(src.arrays());
    arrays.put(
        N.unitConv(3, 0, 1) + ".weight",
        new WeightArray(new long[] {8, 8, 3, 3, 3}, new float[8 * 8 * 27]));
    String msg = refusal(withArrays(src, arrays), f.labelMap());
    assertTrue(
        msg.contains(
            "'s3.pathway0_res0.branch2.b.weight' has shape [8, 8, 3, 3, 3], the model expects [8, 8, 1, 3, 3]"),
        msg);
  }

  @Test
  void refusesALabelMapWhoseClassCountIsNotTheHeads() throws IOException {
    SourceFixture f = SourceFixture.resource("pyslowfast-short-pyth");
    Path five = dir.resolve("five.pbtxt");
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      b.append("item {\n  name: \"c").append(i).append("\"\n  id: ").append(i).append("\n}\n");
    }
    Files.writeString(five, b);
    String msg = refusal(fixture(f), five);
    assertEquals("the label map " + five + " has 5 classes but the checkpoint's head has 6", msg);
  }

  @Test
  void refusesArchitecturesOutsideSlowOnlyResNet50And101() throws IOException {
    String[][] cases = {
      {
        "MODEL:\n  ARCH: slowfast\n  MODEL_NAME: SlowFast\n",
        "MODEL.ARCH slowfast / MODEL_NAME SlowFast"
      },
      {"MODEL:\n  ARCH: x3d\n  MODEL_NAME: X3D\n", "MODEL.ARCH x3d / MODEL_NAME X3D"},
      {"MODEL:\n  ARCH: mvit\n  MODEL_NAME: MViT\n", "MODEL.ARCH mvit / MODEL_NAME MViT"},
      {"MODEL:\n  ARCH: slow\n  MODEL_NAME: ResNet\nRESNET:\n  DEPTH: 18\n", "RESNET.DEPTH 18"},
      {"MODEL:\n  ARCH: slow\n  MODEL_NAME: ResNet\nRESNET:\n  NUM_GROUPS: 32\n", "NUM_GROUPS 32"},
      {
        "MODEL:\n  ARCH: slow\n  MODEL_NAME: ResNet\nNONLOCAL:\n  LOCATION: [[[]], [[1, 3]], [[]], [[]]]\n",
        "non-local"
      }
    };
    for (String[] c : cases) {
      Path yaml = dir.resolve("c.yaml");
      Files.writeString(yaml, c[0]);
      SourceFormatException e =
          assertThrows(SourceFormatException.class, () -> PySlowFastConfig.read(yaml));
      assertTrue(
          e.getMessage().contains(c[1])
              && e.getMessage().contains("supported: Slow-only ResNet-50/101"),
          e.getMessage());
    }
  }

  @Test
  void refusesFilesThatAreNotCheckpoints() throws IOException {
    Path junk = dir.resolve("model.pyth");
    Files.writeString(junk, "not a zip");
    SourceFormatException e =
        assertThrows(
            SourceFormatException.class, () -> TorchCheckpoint.readStateDict(junk, "model_state"));
    assertTrue(
        e.getMessage().contains("is neither a zip nor a legacy PyTorch checkpoint"),
        e.getMessage());
    Path pkl = dir.resolve("model.pkl");
    Files.writeString(pkl, "not a pickle");
    e = assertThrows(SourceFormatException.class, () -> Caffe2Blobs.read(pkl));
    assertTrue(e.getMessage().contains("unreadable pickle"), e.getMessage());
    // a PyTorch file without PySlowFast's model_state: names what it has
    SourceFixture f = SourceFixture.resource("pyslowfast-short-pyth");
    e =
        assertThrows(
            SourceFormatException.class,
            () -> TorchCheckpoint.readStateDict(f.checkpoint(), "state_dict"));
    assertTrue(
        e.getMessage().contains("has no 'state_dict'") && e.getMessage().contains("model_state"),
        e.getMessage());
  }

  @Test
  void kineticsCheckpointBringsTheBackboneOnlyAsTheDetectionBackbone() throws IOException {
    SourceFixture f = SourceFixture.resource("pyslowfast-kinetics-pkl");
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ModelImporter.Result r =
          ModelImporter.run(
              "pyslowfast", f.checkpoint(), f.config(), f.labelMap(), dir.resolve("k"), m);
      assertFalse(r.head());
      assertEquals(1, r.config().backbone().stages().get(3).spatialStride());
      assertEquals(2, r.config().backbone().stages().get(3).dilation());
      assertTrue(
          r.notes().stream().anyMatch(n -> n.contains("res5 at spatial stride 1, dilation 2")),
          r.notes().toString());
      // the stem is the checkpoint's, bit for bit
      WeightArray stem = Caffe2Blobs.read(f.checkpoint()).get("s1.pathway0_stem.conv.weight");
      Map<String, ai.djl.ndarray.NDArray> saved =
          ParamsFile.read(r.checkpoint().resolve(CheckpointMeta.PARAMS), m);
      float[] got = saved.get("01backbone_01stem_01conv_weight").toFloatArray();
      assertTrue(java.util.Arrays.equals(stem.values(), got));
      assertEquals(6, CheckpointMeta.read(r.checkpoint()).model().numClasses());
    }
  }

  @Test
  void readsAPrePyTorch16CheckpointAsItsZipTwin() throws IOException {
    SourceFixture f = SourceFixture.resource("pyslowfast-short-pyth");
    Map<String, WeightArray> zip = TorchCheckpoint.readStateDict(f.checkpoint(), "model_state");
    Map<String, WeightArray> legacy =
        TorchCheckpoint.readStateDict(f.dir().resolve("checkpoint-legacy.pyth"), "model_state");
    assertEquals(zip.keySet(), legacy.keySet());
    for (String k : zip.keySet()) {
      assertTrue(java.util.Arrays.equals(zip.get(k).shape(), legacy.get(k).shape()), k);
      assertTrue(java.util.Arrays.equals(zip.get(k).values(), legacy.get(k).values()), k);
    }
  }

  @Test
  void translatesCaffe2NamesAsPySlowFast() {
    assertEquals("s1.pathway0_stem.conv.weight", Caffe2Blobs.pytorchName("conv1_w"));
    assertEquals("s1.pathway0_stem.bn.running_var", Caffe2Blobs.pytorchName("res_conv1_bn_riv"));
    assertEquals(
        "s4.pathway0_res5.branch2.c_bn.weight", Caffe2Blobs.pytorchName("res4_5_branch2c_bn_s"));
    assertEquals(
        "s3.pathway0_res0.branch1_bn.running_mean",
        Caffe2Blobs.pytorchName("res3_0_branch1_bn_rm"));
    assertEquals("s2.pathway0_res0.branch1.weight", Caffe2Blobs.pytorchName("res2_0_branch1_w"));
    assertEquals("head.projection.bias", Caffe2Blobs.pytorchName("pred_b"));
  }
}
