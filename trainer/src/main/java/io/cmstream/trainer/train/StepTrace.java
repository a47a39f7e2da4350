package io.cmstream.trainer.train;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.cmstream.trainer.model.CmDetector;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Debugging aid, on when the environment variable {@code CM_TRACE} is set: one line per trained
 * step (loss, clips, boxes, memory windows, the parameters holding a NaN or infinity).
 */
final class StepTrace implements TrainingListener {
  private final CmDetector model;
  private final PrintStream log;

  StepTrace(CmDetector model, PrintStream log) {
    this.model = model;
    this.log = log;
  }

  /** Whether tracing was asked for. */
  static boolean enabled() {
    return System.getenv("CM_TRACE") != null;
  }

  @Override
  public void onBatch(Batch b) {
    if (b.outcome() == Outcome.TRAINED) {
      log.printf(
          Locale.ROOT,
          "step %d loss %.5f clips %d boxes %d windows %s bad %s%n",
          b.steps() - 1,
          b.loss(),
          b.clips().clipCount(),
          b.clips().boxCount(),
          b.clips().memoryWindows(),
          nonFinite());
    }
  }

  /** Names of parameters holding a NaN or infinity. */
  private List<String> nonFinite() {
    List<String> bad = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      for (float v : p.getValue().getArray().toFloatArray()) {
        if (!Float.isFinite(v)) {
          bad.add(p.getKey());
          break;
        }
      }
    }
    return bad;
  }
}
