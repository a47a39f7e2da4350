package io.cmstream.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.trainer.data.TinyAvaFixture;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.train.TrainOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepTimerTest {
  @TempDir Path dir;

  @Test
  void shouldTimeMemoryVariantsSideBySideOnTheSameBatches() throws IOException {
    Path data = TinyAvaFixture.write(dir.resolve("data"));
    TrainOptions o =
        TrainOptions.defaults(data, dir.resolve("t"))
            .withData(d -> d.withFps(TinyAvaFixture.FPS).withProposalThreshold(0.8).withClips(3))
            .withModel(m -> m.withCrop(64))
            .withOptim(
                op ->
                    op.withEpochs(1)
                        .withBatch(6)
                        .withLr(0.05f)
                        .withLoss(new TrainOptions.Loss(-1f, 2f)))
            .withRun(r -> r.withSeed(1));
    java.util.Map<MemoryType, Double> t =
        new StepTimer(o, 2, 2)
            .measure(java.util.List.of(MemoryType.NONE, MemoryType.DEFAULT), null);
    assertEquals(
        java.util.List.of(MemoryType.NONE, MemoryType.DEFAULT), java.util.List.copyOf(t.keySet()));
    t.values().forEach(sec -> assertTrue(sec > 0 && sec < 60, "step seconds " + sec));
    assertEquals(2.5, StepTimer.median(new double[] {4, 1, 2, 3}), 1e-12);
    assertEquals(3, StepTimer.median(new double[] {5, 3, 1}), 1e-12);
  }
}
