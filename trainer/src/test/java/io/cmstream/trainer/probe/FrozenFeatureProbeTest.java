package io.cmstream.trainer.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.TinyAvaFixture;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.train.ClipStatistics;
import io.cmstream.trainer.train.FrameMapValidation;
import io.cmstream.trainer.train.TrainOptions;
import io.cmstream.trainer.train.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrozenFeatureProbeTest {
  @TempDir Path dir;

  private static Map<String, float[]> values(CmDetector model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  @Test
  void shouldTrainOnlyTheMemoryAndTheHeadOnFrozenFeatures() throws IOException {
    Path data = TinyAvaFixture.write(dir.resolve("data"));
    Path s1 = dir.resolve("s1");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    new TrainingRun(
            TrainOptions.defaults(data, s1)
                .withData(d -> d.withFps(TinyAvaFixture.FPS).withProposalThreshold(0.8))
                .withModel(m -> m.withMemory(MemoryType.NONE).withCrop(64))
                .withOptim(o -> o.withEpochs(1).withBatch(6).withLr(0.05f))
                .withRun(r -> r.withSeed(1).withValidate(false)),
            FrameMapValidation::new,
            quiet)
        .run();
    CheckpointMeta meta = CheckpointMeta.read(s1.resolve("last"));
    AvaSplit train = AvaSplit.load(data, "train", 0.8, true);
    AvaSplit val = AvaSplit.load(data, "val", 0.8, false);
    try (NDManager m = NDManager.newBaseManager()) {
      CmDetector model = new CmDetector(meta.model().withMemory(MemoryType.DEFAULT));
      model.initialize(m);
      ParamsFile.load(model, s1.resolve("last").resolve(CheckpointMeta.PARAMS), m, false);
      Map<String, float[]> before = values(model);
      List<FrozenFeatureProbe.Report> reports =
          new FrozenFeatureProbe(
                  model,
                  new FrozenFeatureProbe.Options(
                      MemoryType.DEFAULT, 1, 1, 6, 0.5f, 3, 0, ClipStatistics.Views.ONE_CROP))
              .run(train, val, meta.fps(), m, quiet);
      assertEquals(
          List.of(2, 4, 6), reports.stream().map(FrozenFeatureProbe.Report::step).toList());
      for (FrozenFeatureProbe.Report r : reports) {
        assertTrue(Double.isFinite(r.loss()));
        assertEquals(train.numClasses(), r.trainAp().length);
      }
      Map<String, float[]> after = values(model);
      before.forEach(
          (name, v) -> {
            if (name.contains("backbone")) {
              assertArrayEquals(v, after.get(name), name + " must stay frozen");
            }
          });
      assertFalse(
          java.util.Arrays.equals(
              before.get("02memory_04w_weight"), after.get("02memory_04w_weight")),
          "the memory must train");
    }
  }

  @Test
  void shouldRefuseANegativeWindowOrStepCount() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new FrozenFeatureProbe.Options(
                MemoryType.RESIDUAL, 2, 2, 0, 0.1f, 1, 0, ClipStatistics.Views.ONE_CROP));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new FrozenFeatureProbe.Options(
                MemoryType.DEFAULT, -1, 2, 10, 0.1f, 1, 0, ClipStatistics.Views.ONE_CROP));
  }
}
