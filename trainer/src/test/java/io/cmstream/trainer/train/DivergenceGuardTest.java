package io.cmstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.trainer.train.TrainingListener.Batch;
import io.cmstream.trainer.train.TrainingListener.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class DivergenceGuardTest {
  private static Batch nonFinite(int epoch, long steps, EpochStats stats) {
    return new Batch(epoch, Outcome.NON_FINITE, Float.NaN, null, steps, stats);
  }

  @Test
  void shouldStopAfterMoreThanThreeSkippedStepsPlusOnePerTenGoodOnes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DivergenceGuard guard = new DivergenceGuard(new PrintStream(out, true));
    EpochStats stats = new EpochStats();
    guard.onEpochBegin(1, 2, 100);
    for (int i = 0; i < 3; i++) {
      guard.onBatch(nonFinite(1, 0, stats));
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> guard.onBatch(nonFinite(1, 0, stats)));
    assertTrue(e.getMessage().contains("training diverged (loss NaN) at epoch 1"), e.getMessage());
    assertEquals(4, out.toString().lines().filter(l -> l.contains("update skipped")).count());
    // a new epoch starts counting again; ten good steps allow one more skipped step
    guard.onEpochBegin(2, 2, 100);
    for (int i = 0; i < 10; i++) {
      stats.addStep(0.5f, 4);
    }
    for (int i = 0; i < 4; i++) {
      assertDoesNotThrow(() -> guard.onBatch(nonFinite(2, 10, stats)));
    }
    assertThrows(IllegalStateException.class, () -> guard.onBatch(nonFinite(2, 10, stats)));
  }

  @Test
  void shouldAverageOnlyFiniteStepsButTimeEveryStep() {
    EpochStats s = new EpochStats();
    assertTrue(Double.isNaN(s.meanLoss()));
    assertEquals(0, s.clipsPerSecond());
    s.addTime(1.0);
    s.addStep(0.6f, 6);
    s.addTime(1.0); // a step whose loss was not finite: its time counts, its loss does not
    s.addTime(1.0);
    s.addStep(0.2f, 6);
    assertEquals(0.4, s.meanLoss(), 1e-6);
    assertEquals(0.6, s.firstLoss(), 1e-6);
    assertEquals(2, s.steps());
    assertEquals(4.0, s.clipsPerSecond(), 1e-9);
    assertEquals(1.5, s.secondsPerStep(), 1e-9);
  }
}
