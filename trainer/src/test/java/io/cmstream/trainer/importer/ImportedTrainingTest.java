package io.cmstream.trainer.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.data.TinyAvaFixture;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.train.FrameMapValidation;
import io.cmstream.trainer.train.TrainOptions;
import io.cmstream.trainer.train.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code train --init-from RUN_DIR/last --clips 5 --memory default} from an imported Kinetics
 * checkpoint (backbone only) and from an imported AVA checkpoint (backbone and head), of
 * PySlowFast, and from an imported MMAction2 AVA checkpoint (its recognizer import: {@code
 * MmactionImportTest}): the run keeps the imported architecture (its head, RoIAlign and clip
 * normalisation), loads every imported array and adds the collaborative memory.
 */
class ImportedTrainingTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"pyslowfast-kinetics-pkl", "pyslowfast-short-pyth", "mmaction2-ava-pth"})
  void cmTrainsFromAnImportedCheckpoint(String fixture) throws IOException {
    SourceFixture f = SourceFixture.resource(fixture);
    Path data = TinyAvaFixture.write(dir.resolve("data"));
    Path imported = dir.resolve("imported");
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ModelImporter.run(f.from(), f.checkpoint(), f.config(), f.labelMap(), imported, m);
    }
    // 48 px crops keep the test quick; everything else is the imported model's
    TrainOptions o =
        TrainOptions.defaults(data, dir.resolve("cm"))
            .withData(d -> d.withFps(TinyAvaFixture.FPS).withProposalThreshold(0.8).withClips(5))
            .withModel(m -> m.withCrop(48).withInitFrom(imported.resolve("last")))
            .withOptim(op -> op.withEpochs(1).withBatch(10).withLr(0.01f))
            .withStep(st -> st.withFrozenBn(true))
            .withRun(r -> r.withSeed(1).withValidate(false));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingRun.Result r = new TrainingRun(o, FrameMapValidation::new, new PrintStream(log)).run();
    assertTrue(Double.isFinite(r.last().trainLoss()), "loss " + r.last().trainLoss());
    ModelConfig cfg = CheckpointMeta.read(dir.resolve("cm/last")).model();
    ModelConfig src = CheckpointMeta.read(imported.resolve("last")).model();
    assertEquals(MemoryType.DEFAULT, cfg.memory());
    assertTrue(cfg.linearHead());
    assertEquals(src.backbone(), cfg.backbone());
    assertEquals(src.input(), cfg.input());
    assertEquals(src.legacyRoiAlign(), cfg.legacyRoiAlign());
    // tau: the source's frames at 30 fps, the same seconds at the data's 8 fps
    assertEquals(
        Math.max(1, Math.round(src.frameStride() * TinyAvaFixture.FPS / 30.0)), cfg.frameStride());
    // every imported backbone array is loaded: all but the memory's 4 and the head's 2 (a Kinetics
    // import
    // has no head; the AVA fixture's 6-class head does not fit the data's 2 classes, so it starts
    // anew)
    String text = log.toString();
    java.util.regex.Matcher mm =
        java.util.regex.Pattern.compile("initialised (\\d+) of (\\d+) parameters").matcher(text);
    assertTrue(mm.find(), text);
    int fresh = 4 + 2;
    assertEquals(Integer.parseInt(mm.group(2)) - fresh, Integer.parseInt(mm.group(1)), text);
  }
}
