package io.cmstream.trainer.train;

import java.io.PrintStream;

/**
 * Skipped updates: a step whose loss is not finite is logged and its update skipped; more than 3
 * such steps plus one per 10 finite steps in an epoch stop the run (the learning rate is too high).
 */
final class DivergenceGuard implements TrainingListener {
  private final PrintStream log;
  private int skipped;

  DivergenceGuard(PrintStream log) {
    this.log = log;
  }

  @Override
  public void onEpochBegin(int epoch, int epochs, int batches) {
    skipped = 0;
  }

  @Override
  public void onBatch(Batch b) {
    if (b.outcome() != Outcome.NON_FINITE) {
      return;
    }
    skipped++;
    log.printf("trainer: step %d: non-finite loss, update skipped%n", b.steps());
    if (skipped > 3 + b.stats().steps() / 10) {
      throw new IllegalStateException(
          "training diverged (loss " + b.loss() + ") at epoch " + b.epoch() + "; lower --lr");
    }
  }
}
