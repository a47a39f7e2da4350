package io.cmstream.trainer.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.runtime.Device;
import io.cmstream.runtime.EncoderOutput;
import io.cmstream.runtime.ModelBundle;
import io.cmstream.runtime.SessionSettings;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.export.BundleExporter;
import io.cmstream.trainer.model.CmDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PySlowFast's own scores of a model (written with its own code by {@code
 * tools/import-parity/slowfast_parity.py}, random weights and batch-norm statistics) against the
 * imported model in DJL and against the exported bundle on ONNX Runtime, on the same clip and
 * boxes: a {@code .pyth} of {@code SLOW_8x8_R50_SHORT.yaml} (aligned RoIAlign) and a Caffe2 {@code
 * .pkl} of {@code c2/SLOW_8x8_R50.yaml} (not aligned), at WIDTH_PER_GROUP 4; and MMAction2's AVA
 * SlowOnly R50 ({@code .pth}, RoIAlign 8x8 aligned, background class) from the hand-built PyTorch
 * twin of {@code tools/import-parity/mmaction2_twin.py} (MMAction2's own code needs mmcv), at
 * base_channels 4. The system property {@code import.fixtures} (folders, comma-separated) runs the
 * same check on other fixtures, e.g. the full-width R50 the tools script writes.
 */
class SourceParityTest {
  private static final double TOLERANCE = 1e-4;

  static Stream<SourceFixture> fixtures() throws IOException {
    List<SourceFixture> out = new ArrayList<>();
    String extra = System.getProperty("import.fixtures", "");
    if (!extra.isBlank()) {
      for (String d : extra.split(",")) {
        out.add(SourceFixture.of(Path.of(d.trim())));
      }
      return out.stream();
    }
    out.add(SourceFixture.resource("pyslowfast-short-pyth"));
    out.add(SourceFixture.resource("pyslowfast-c2-pkl"));
    out.add(SourceFixture.resource("mmaction2-ava-pth"));
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void importedModelScoresAsTheSourceInDjlAndOnnxRuntime(SourceFixture f, @TempDir Path tmp)
      throws Exception {
    Path run = tmp.resolve("run");
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ModelImporter.run(f.from(), f.checkpoint(), f.config(), f.labelMap(), run, m);
      CheckpointMeta meta = CheckpointMeta.read(run.resolve("last"));
      CmDetector model = meta.loadDetector(run.resolve("last"), m);
      int r = f.scores().length;
      NDList in =
          new NDList(
              m.create(f.input(), new Shape(f.inputShape())),
              m.create(f.boxes(), new Shape(r, 4)),
              m.create(new int[r]));
      NDArray scores =
          model
              .forward(new ParameterStore(m, false), in, false)
              .singletonOrThrow()
              .getNDArrayInternal()
              .sigmoid();
      double djl = maxAbsDiff(f.scores(), scores.toFloatArray());

      Path bundle = tmp.resolve("bundle");
      new BundleExporter("test")
          .export(
              new BundleExporter.Request(
                  run.resolve("last"),
                  bundle,
                  LabelMapPbtxt.read(f.labelMap()),
                  "imported",
                  "1",
                  "none",
                  0,
                  List.of("test")));
      double ort;
      try (ModelBundle b = ModelBundle.open(bundle, SessionSettings.on(Device.CPU))) {
        EncoderOutput e =
            b.encoder().encode(f.input(), f.frames(), f.height(), f.width(), f.boxes());
        int cp = b.encoder().memoryChannels();
        float[][] s = b.contextHead().scores(e, new float[cp * cp]);
        float[] flat = new float[r * s[0].length];
        for (int i = 0; i < r; i++) {
          System.arraycopy(s[i], 0, flat, i * s[i].length, s[i].length);
        }
        ort = maxAbsDiff(f.scores(), flat);
      }
      System.out.printf(
          Locale.ROOT,
          "SOURCE PARITY %s: max |source - DJL| %.2g, max |source - ORT| %.2g%n",
          f.dir().getFileName(),
          djl,
          ort);
      assertTrue(djl <= TOLERANCE, "DJL differs from the source by " + djl);
      assertTrue(ort <= TOLERANCE, "ONNX Runtime differs from the source by " + ort);
    }
  }

  private static double maxAbsDiff(float[][] expected, float[] actual) {
    int k = expected[0].length;
    assertEquals(expected.length * k, actual.length);
    double d = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < k; j++) {
        d = Math.max(d, Math.abs(expected[i][j] - actual[i * k + j]));
      }
    }
    return d;
  }
}
