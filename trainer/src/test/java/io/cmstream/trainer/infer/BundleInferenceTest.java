package io.cmstream.trainer.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.runtime.Device;
import io.cmstream.runtime.ModelBundle;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.schemas.manifest.ModelManifest;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.TinyAvaFixture;
import io.cmstream.trainer.export.BundleExporter;
import io.cmstream.trainer.export.TinyModelsAccess;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint exported as a bundle and run offline with the two graphs (two scans) gives the
 * scores of the DJL windowed detector (the path training validates with); tampered bundles are
 * refused.
 */
class BundleInferenceTest {
  private static final int CLIPS = 3;

  @TempDir static Path tmp;
  static Path data;
  static Path checkpoint;
  static Path bundle;
  static ModelManifest manifest;

  @BeforeAll
  static void exportBundle() throws Exception {
    data = TinyAvaFixture.write(tmp.resolve("data"));
    checkpoint = tmp.resolve("run/last");
    ModelConfig cfg = TinyModelsAccess.basic(2);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      CmDetector model = TinyModelsAccess.randomised(cfg, m, 21);
      Files.createDirectories(checkpoint);
      ParamsFile.save(model, checkpoint.resolve(CheckpointMeta.PARAMS));
      new CheckpointMeta(
              cfg, TinyAvaFixture.FPS, CLIPS, new int[] {1, 2}, 3, 30, 7, data.toString())
          .write(checkpoint);
    }
    bundle = tmp.resolve("bundle");
    manifest =
        new BundleExporter("test")
            .export(
                new BundleExporter.Request(
                    checkpoint,
                    bundle,
                    LabelMapPbtxt.read(
                        data.resolve(
                            "annotations/ava_action_list_v2.2_for_activitynet_2019.pbtxt")),
                    "cm-test",
                    "1",
                    "tiny-fixture",
                    0.5,
                    List.of("trainer export")));
  }

  @Test
  void shouldRecordTheProducingCommandsThroughTheExportCommand() throws Exception {
    Path out = tmp.resolve("cli-bundle");
    int code =
        io.cmstream.common.cli.Cli.execute(
            new io.cmstream.trainer.cli.TrainerCli(),
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "--out",
            out.toString(),
            "--val-map",
            "50",
            "--command",
            "bin/ava-tools synth --out data --seed 0",
            "--command",
            "bin/trainer train --data data --out run");
    assertEquals(0, code);
    ModelManifest m = io.cmstream.schemas.manifest.BundleManifests.verify(out);
    assertEquals(
        List.of(
            "bin/ava-tools synth --out data --seed 0",
            "bin/trainer train --data data --out run",
            "trainer export --checkpoint last --out cli-bundle"),
        m.training().commands());
  }

  @Test
  void shouldWriteEveryBundleFileWithoutMachinePaths() throws Exception {
    for (String f :
        List.of(
            "manifest.json",
            "encoder.onnx",
            "context_head.onnx",
            "labelmap.pbtxt",
            "params/params.bin",
            "params/model.json")) {
      assertTrue(Files.isRegularFile(bundle.resolve(f)), f);
    }
    assertEquals(1, manifest.window().back());
    assertEquals(1, manifest.window().ahead());
    assertEquals(List.of("red", "blue"), manifest.classNames());
    String root = tmp.toAbsolutePath().toString();
    try (Stream<Path> files = Files.walk(bundle)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(root), f + " carries the path " + root);
      }
    }
  }

  @Test
  void shouldReproduceTheDjlWindowedDetectorWithTwoScans() throws Exception {
    AvaSplit split = AvaSplit.load(data, "val", 0.8, false);
    List<DetectionRow> djl;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      CheckpointMeta meta = CheckpointMeta.read(checkpoint);
      CmDetector model = new CmDetector(meta.model());
      model.initialize(m);
      ParamsFile.load(model, checkpoint.resolve(CheckpointMeta.PARAMS), m, true);
      ClipSpec spec = meta.clipSpec();
      djl = new WindowedDetector(model, spec, CLIPS, 4).detect(split, m, k -> {});
    }
    List<DetectionRow> ort;
    try (ModelBundle b = ModelBundle.open(bundle, SessionSettings.on(Device.CPU))) {
      assertEquals(new WindowSpan(1, 1), b.window());
      ort =
          new TwoScanInference(b.encoder(), b.contextHead(), b.clipSpec(), b.window())
              .detect(split, TwoScanInference.classIds(b.manifest()), k -> {});
    }
    assertEquals(djl.size(), ort.size());
    assertFalse(ort.isEmpty());
    double max = 0;
    for (int i = 0; i < djl.size(); i++) {
      assertEquals(djl.get(i).key(), ort.get(i).key());
      assertEquals(djl.get(i).box(), ort.get(i).box());
      assertEquals(djl.get(i).actionId(), ort.get(i).actionId());
      max = Math.max(max, Math.abs(djl.get(i).score() - ort.get(i).score()));
    }
    System.out.println(
        "PARITY two-scan vs DJL windowed: " + ort.size() + " rows, max abs diff " + max);
    assertTrue(max <= 1e-4, "max abs diff " + max);
  }

  @Test
  void shouldRefuseAnAlteredFile() throws Exception {
    Path copy = copyBundle("altered");
    byte[] enc = Files.readAllBytes(copy.resolve("encoder.onnx"));
    enc[enc.length - 1] ^= 1;
    Files.write(copy.resolve("encoder.onnx"), enc);
    Exception e =
        assertThrows(
            RuntimeException.class, () -> ModelBundle.open(copy, SessionSettings.on(Device.CPU)));
    assertTrue(
        e.getMessage().contains("encoder.onnx") && e.getMessage().contains("altered"),
        e.getMessage());
  }

  @Test
  void shouldRefuseAMissingFile() throws Exception {
    Path copy = copyBundle("missing");
    Files.delete(copy.resolve("context_head.onnx"));
    Exception e =
        assertThrows(
            RuntimeException.class, () -> ModelBundle.open(copy, SessionSettings.on(Device.CPU)));
    assertTrue(
        e.getMessage().contains("context_head.onnx") && e.getMessage().contains("missing"),
        e.getMessage());
  }

  @Test
  void shouldRefuseAnUnknownOpset() throws Exception {
    Path copy = copyBundle("opset");
    rewriteManifest(copy, "\"opset\" : 17", "\"opset\" : 99");
    Exception e =
        assertThrows(
            RuntimeException.class, () -> ModelBundle.open(copy, SessionSettings.on(Device.CPU)));
    assertTrue(e.getMessage().contains("opset 17 but the manifest says 99"), e.getMessage());
  }

  @Test
  void shouldRefuseGraphsWhoseShapesDoNotMatchTheManifest() throws Exception {
    Path copy = copyBundle("shapes");
    rewriteManifest(copy, "\"memoryChannels\" : 4", "\"memoryChannels\" : 5");
    Exception e =
        assertThrows(
            RuntimeException.class, () -> ModelBundle.open(copy, SessionSettings.on(Device.CPU)));
    assertTrue(
        e.getMessage()
            .contains("encoder.onnx output key has shape [N, 4] but the manifest implies [N, 5]"),
        e.getMessage());
  }

  private static void rewriteManifest(Path dir, String from, String to) throws Exception {
    Path f = dir.resolve("manifest.json");
    String s = Files.readString(f);
    assertTrue(s.contains(from), "manifest has no " + from + ":\n" + s);
    Files.writeString(f, s.replace(from, to));
  }

  private static Path copyBundle(String name) throws Exception {
    Path dst = tmp.resolve(name);
    try (Stream<Path> files = Files.walk(bundle)) {
      for (Path f : files.toList()) {
        Path t = dst.resolve(bundle.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
    return dst;
  }
}
