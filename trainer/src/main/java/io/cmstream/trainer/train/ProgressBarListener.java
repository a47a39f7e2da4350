package io.cmstream.trainer.train;

import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch: batches done, mean loss, learning rate, clips per second, ETA. */
final class ProgressBarListener implements TrainingListener {
  private final Tracker schedule;
  private final PrintStream log;
  private ProgressBar bar;

  /**
   * @param schedule the learning rate by optimizer step
   * @param log where the bar is drawn
   */
  ProgressBarListener(Tracker schedule, PrintStream log) {
    this.schedule = schedule;
    this.log = log;
  }

  @Override
  public void onEpochBegin(int epoch, int epochs, int batches) {
    bar =
        new ProgressBarBuilder()
            .setTaskName("epoch " + epoch + "/" + epochs)
            .setInitialMax(batches)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(1000)
            .setConsumer(new ConsoleProgressBarConsumer(log))
            .showSpeed()
            .build();
  }

  @Override
  public void onBatch(Batch b) {
    bar.step();
    if (b.outcome() != Outcome.NON_FINITE) {
      EpochStats s = b.stats();
      bar.setExtraMessage(
          String.format(
              Locale.ROOT,
              " loss %.4f lr %.4g %.1f clips/s",
              s.steps() == 0 ? 0 : s.meanLoss(),
              schedule.getNewValue((int) b.steps()),
              s.clipsPerSecond()));
    }
  }

  @Override
  public void onEpochTrained(int epoch) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
