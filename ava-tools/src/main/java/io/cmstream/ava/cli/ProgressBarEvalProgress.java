package io.cmstream.ava.cli;

import io.cmstream.ava.eval.EvalProgress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows evaluation stages as progress bars on stderr. */
final class ProgressBarEvalProgress implements EvalProgress {
  private ProgressBar bar;

  @Override
  public synchronized void stage(String name, String unit, long total) {
    close();
    ProgressBarBuilder b =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(Math.max(total, 1))
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .setUpdateIntervalMillis(250);
    if ("MB".equals(unit)) {
      b.setUnit("MB", 1 << 20);
    } else {
      b.setUnit(" " + unit, 1);
    }
    bar = b.build();
  }

  @Override
  public synchronized void step(long units) {
    if (bar != null) {
      bar.stepBy(units);
    }
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.stepTo(bar.getMax());
      bar.close();
      bar = null;
    }
  }
}
