package io.cmstream.trainer.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntSupplier;

/** The line each epoch ends with: loss, val frame-mAP, step time, throughput, wall time. */
final class EpochLog implements TrainingListener {
  private final IntSupplier skippedSteps;
  private final PrintStream log;

  /**
   * @param skippedSteps steps skipped so far for non-finite gradients ({@link TrainingStep})
   */
  EpochLog(IntSupplier skippedSteps, PrintStream log) {
    this.skippedSteps = skippedSteps;
    this.log = log;
  }

  @Override
  public void onEpochEnd(EpochEnd end) {
    EpochMetrics em = end.metrics();
    int skipped = skippedSteps.getAsInt();
    log.printf(
        Locale.ROOT,
        "trainer: epoch %d: loss %.4f, val frame-mAP %s, %.2f s/step, %.1f clips/s, %.0f s%s%n",
        em.epoch(),
        em.trainLoss(),
        Double.isNaN(em.valMap()) ? "-" : String.format(Locale.ROOT, "%.2f", em.valMap()),
        em.stepSeconds(),
        em.clipsPerSecond(),
        em.seconds(),
        skipped > 0 ? ", " + skipped + " steps skipped (non-finite gradients) so far" : "");
  }
}
