package io.cmstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.data.DatasetException;
import io.cmstream.trainer.data.TinyAvaFixture;
import io.cmstream.trainer.model.MemoryType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {
  @TempDir Path dir;

  private TrainOptions options(
      Path data, Path out, int clips, MemoryType memory, int epochs, Path init, boolean resume) {
    return TrainOptions.defaults(data, out)
        .withData(d -> d.withFps(TinyAvaFixture.FPS).withProposalThreshold(0.8).withClips(clips))
        .withModel(m -> m.withMemory(memory).withCrop(64).withInitFrom(init))
        .withOptim(
            o ->
                o.withEpochs(epochs)
                    .withBatch(6)
                    .withLr(0.05f)
                    .withLoss(new TrainOptions.Loss(-1f, 2f)))
        .withRun(r -> r.withSeed(1).withResume(resume));
  }

  @Test
  void shouldCheckpointValidateAndResumeAcrossStages() throws IOException {
    Path data = TinyAvaFixture.write(dir.resolve("data"));
    PrintStream log = new PrintStream(new ByteArrayOutputStream());
    Path s1 = dir.resolve("s1");
    TrainingRun.Result r1 =
        new TrainingRun(
                options(data, s1, 1, MemoryType.NONE, 1, null, false), FrameMapValidation::new, log)
            .run();
    assertEquals(1, r1.epochs().size());
    assertTrue(Files.isRegularFile(s1.resolve("last/params.bin")));
    assertTrue(Files.isRegularFile(s1.resolve("epoch-001/model.json")));
    for (String f : new String[] {"metrics.json", "metrics.csv", "training-curve.png"}) {
      assertTrue(Files.size(s1.resolve(f)) > 0, f);
    }
    assertFalse(Double.isNaN(r1.last().valMap()));
    // stage 2 from stage 1 with memory and 3-clip windows, then resume for a second epoch
    Path s2 = dir.resolve("s2");
    new TrainingRun(
            options(data, s2, 3, MemoryType.DEFAULT, 1, s1.resolve("last"), false),
            FrameMapValidation::new,
            log)
        .run();
    TrainingRun.Result r2 =
        new TrainingRun(
                options(data, s2, 3, MemoryType.DEFAULT, 2, null, true),
                FrameMapValidation::new,
                log)
            .run();
    assertEquals(2, r2.epochs().size());
    assertEquals(2, CheckpointMeta.read(s2.resolve("last")).epoch());
  }

  @Test
  void shouldRefuseABrokenDatasetBeforeTraining() throws IOException {
    Path data = TinyAvaFixture.write(dir.resolve("data"));
    Files.delete(data.resolve("frame_lists/val.csv"));
    Path out = dir.resolve("run");
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () ->
                new TrainingRun(
                        options(data, out, 1, MemoryType.NONE, 1, null, false),
                        FrameMapValidation::new,
                        new PrintStream(new ByteArrayOutputStream()))
                    .run());
    assertTrue(e.getMessage().contains("frame_lists/val.csv"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void shouldTrainInTwoScanMode() throws IOException {
    Path data = TinyAvaFixture.write(dir.resolve("data"));
    TrainOptions o = options(data, dir.resolve("ts"), 3, MemoryType.DEFAULT, 1, null, false);
    o = o.withStep(st -> st.withTwoScan(true)).withRun(r -> r.withValidate(false));
    TrainingRun.Result r =
        new TrainingRun(o, FrameMapValidation::new, new PrintStream(new ByteArrayOutputStream()))
            .run();
    assertTrue(Double.isFinite(r.last().trainLoss()));
  }
}
