package io.cmstream.trainer.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cmstream.ava.synth.RankingAp;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.BatchAssembler;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.SigmoidFocalLoss;
import io.cmstream.trainer.train.ClipStatistics;
import io.cmstream.trainer.train.MemoryWarmup;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code trainer probe-memory}: can the memory learn a dataset's context from a checkpoint's
 * features? Runs the stage-2 {@link MemoryWarmup} (backbone frozen, memory and head trained full
 * batch on {@link ClipStatistics}) and reports box-level AP per class on train and val as it goes.
 * Each clip's memory reads seconds {@code [t-back, t+ahead]} of its video; {@code back = ahead = 0}
 * (every clip alone) is the control without context.
 */
public final class FrozenFeatureProbe {
  /**
   * @param memory the probed variant
   * @param back seconds before each clip its memory reads
   * @param ahead seconds after each clip its memory reads
   * @param steps full-batch SGD steps
   * @param lr peak learning rate (cosine schedule; momentum 0.9, weight decay 1e-4)
   * @param reports how many times to evaluate and print
   */
  public record Options(
      MemoryType memory,
      int back,
      int ahead,
      int steps,
      float lr,
      int reports,
      long seed,
      ClipStatistics.Views views) {
    public Options {
      if (back < 0 || ahead < 0)
        throw new IllegalArgumentException("--back and --ahead must be >= 0");
      if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
      if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
      if (reports < 1) throw new IllegalArgumentException("--reports must be >= 1, got " + reports);
    }
  }

  /** One evaluation: training loss and box-level AP (points) per class on train and val. */
  public record Report(int step, double loss, double[] trainAp, double[] valAp) {}

  private final CmDetector model;
  private final Options opt;

  /**
   * @param model a detector with the probed memory variant, its backbone and head loaded
   */
  public FrozenFeatureProbe(CmDetector model, Options opt) {
    this.model = model;
    this.opt = opt;
  }

  public List<Report> run(
      AvaSplit train, AvaSplit val, double fps, NDManager manager, PrintStream log) {
    ClipStatistics tr =
        ClipStatistics.of(
            model,
            train,
            new BatchAssembler(train, model.config().clipSpec(fps)),
            fps,
            opt.seed(),
            opt.views(),
            manager);
    ClipStatistics va =
        ClipStatistics.of(
            model,
            val,
            new BatchAssembler(val, model.config().clipSpec(fps)),
            fps,
            opt.seed(),
            ClipStatistics.Views.FULL_FRAME,
            manager);
    ClipStatistics.Windowed trw = tr.windowed(opt.back(), opt.ahead(), manager);
    ClipStatistics.Windowed vaw = va.windowed(opt.back(), opt.ahead(), manager);
    log.printf(
        Locale.ROOT,
        "probe-memory: %s memory, window [t-%d, t+%d], frozen features of %d train clips (views %s) / %d val clips (full frame)%n",
        opt.memory().cliName(),
        opt.back(),
        opt.ahead(),
        tr.clips() / opt.views().count(),
        opt.views(),
        va.clips());
    Engine.getInstance().setRandomSeed((int) opt.seed());
    MemoryWarmup warmup = new MemoryWarmup(model, opt.steps(), opt.lr());
    List<Report> reports = new ArrayList<>();
    int every = Math.max(1, opt.steps() / opt.reports());
    warmup.run(
        trw,
        new SigmoidFocalLoss(-1f, 0f),
        manager,
        (step, loss, ps, sm) -> {
          if (step % every == 0 || step == opt.steps()) {
            Report r =
                new Report(
                    step,
                    loss,
                    ap(warmup.logits(ps, trw, sm, false), tr),
                    ap(warmup.logits(ps, vaw, sm, false), va));
            reports.add(r);
            log.printf(
                Locale.ROOT,
                "probe-memory: step %d loss %.4f train AP%s | val AP%s%n",
                step,
                loss,
                format(r.trainAp()),
                format(r.valAp()));
          }
        });
    return reports;
  }

  /** Box-level AP (points) per class: every training box ranked by its score. */
  private static double[] ap(NDArray logits, ClipStatistics s) {
    float[] scores = logits.toFloatArray();
    int k = s.numClasses();
    int r = scores.length / k;
    double[] out = new double[k];
    for (int j = 0; j < k; j++) {
      double[] sc = new double[r];
      boolean[] pos = new boolean[r];
      int total = 0;
      for (int i = 0; i < r; i++) {
        sc[i] = scores[i * k + j];
        pos[i] = s.targetValues()[i * k + j] > 0.5f;
        total += pos[i] ? 1 : 0;
      }
      out[j] = 100 * RankingAp.of(sc, pos, total);
    }
    return out;
  }

  private static String format(double[] ap) {
    StringBuilder sb = new StringBuilder();
    for (double v : ap) {
      sb.append(String.format(Locale.ROOT, " %5.1f", v));
    }
    return sb.toString();
  }
}
