package io.cmstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.synth.ActionClass;
import io.cmstream.ava.synth.SynthConfig;
import io.cmstream.ava.synth.SynthDataset;
import io.cmstream.trainer.model.MemoryType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI smoke training: a small synthetic set from the project's generator, the tiny preset with one
 * clip and no memory (stage 1) for a few epochs, with the default loss (binary cross-entropy). The
 * loss must fall and the clip-local classes (the poses, visible within one second) must be detected
 * with a mean AP >= 0.5 (on this small set the three poses reach about 40 / 80-90 / 70; chance is
 * about 33).
 */
class SmokeTrainingIntegrationTest {
  @TempDir Path dir;

  @Test
  void shouldLearnClipLocalClassesOnASmallSyntheticSet() {
    Path data = dir.resolve("synth");
    new SynthDataset(new SynthConfig(1, 12, 16, 8, 160, 120, 2, 0.9f), 2).write(data, n -> {});
    TrainOptions opt =
        TrainOptions.defaults(data, dir.resolve("run"))
            .withModel(m -> m.withMemory(MemoryType.NONE))
            .withOptim(o -> o.withEpochs(16).withBatch(8).withLr(0.3f));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingRun.Result r =
        new TrainingRun(opt, FrameMapValidation::new, new PrintStream(log, true)).run();
    String trace = log.toString();
    EpochMetrics first = r.epochs().get(0);
    EpochMetrics last = r.last();
    assertTrue(
        last.trainLoss() < 0.8 * first.firstLoss(),
        "loss should fall: first step "
            + first.firstLoss()
            + ", last epoch "
            + last.trainLoss()
            + "\n"
            + trace);
    double sum = 0;
    int n = 0;
    for (ActionClass c : ActionClass.values()) {
      if (c.isPose()) {
        Double ap = last.perClassAp().get(c.id());
        assertTrue(ap != null, c.label() + " has no AP");
        sum += ap;
        n++;
      }
    }
    assertTrue(
        sum / n >= 50,
        "clip-local (pose) classes mean AP "
            + sum / n
            + " < 50 (per class "
            + last.perClassAp()
            + ")\n"
            + trace);
    System.out.println(
        "smoke: "
            + r.epochs().size()
            + " epochs, loss "
            + first.firstLoss()
            + " -> "
            + last.trainLoss()
            + ", val frame-mAP "
            + last.valMap()
            + ", per class "
            + last.perClassAp());
  }
}
