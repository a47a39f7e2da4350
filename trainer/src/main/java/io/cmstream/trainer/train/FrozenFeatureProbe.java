package io.cmstream.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.cmstream.ava.synth.RankingAp;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.BatchAssembler;
import io.cmstream.trainer.data.ClipBatch;
import io.cmstream.trainer.data.TrainingWindow;
import io.cmstream.trainer.data.WindowSampler;
import io.cmstream.trainer.data.WindowSampling;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.CollaborativeMemory;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.MemoryWindows;
import io.cmstream.trainer.model.SigmoidFocalLoss;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code trainer probe-memory}: can the memory learn a dataset's context from a checkpoint's
 * features? The backbone is frozen, so every labelled clip's statistics are computed once (its
 * second moments S = mean over positions of x x^T, its mean feature, its boxes' pooled RoI
 * features, one random training crop per clip); then only the memory and the head train, full
 * batch, thousands of steps in minutes. Each clip's memory reads seconds
 * {@code [t-back, t+ahead]} of its video; {@code back = ahead = 0} (every clip alone) is the
 * control without context. Reports box-level AP per class on train and val.
 */
public final class FrozenFeatureProbe {
  /**
   * @param memory DEFAULT or AVGPOOL (the variants whose memory reads clip statistics)
   * @param back seconds before each clip its memory reads
   * @param ahead seconds after each clip its memory reads
   * @param steps full-batch SGD steps
   * @param lr learning rate (momentum 0.9, weight decay 1e-4)
   * @param reports how many times to evaluate and print
   */
  public record Options(MemoryType memory, int back, int ahead, int steps, float lr, int reports, long seed) {
    public Options {
      if (memory != MemoryType.DEFAULT && memory != MemoryType.AVGPOOL) {
        throw new IllegalArgumentException("--memory must be default or avgpool, got " + memory.cliName());
      }
      if (back < 0 || ahead < 0) throw new IllegalArgumentException("--back and --ahead must be >= 0");
      if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
      if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
      if (reports < 1) throw new IllegalArgumentException("--reports must be >= 1, got " + reports);
    }
  }

  /** One evaluation: training loss and box-level AP (points) per class on train and val. */
  public record Report(int step, double loss, double[] trainAp, double[] valAp) {}

  /** Frozen statistics of a split's labelled clips, in video then second order. */
  private record ClipStats(NDArray moments, NDArray mean, NDArray roi, NDArray targets,
      NDArray boxSelection, NDArray averaging, float[] targetValues, int numClasses) {}

  private final CmDetector model;
  private final Options opt;

  /** @param model a detector with the probed memory variant, its backbone and head loaded */
  public FrozenFeatureProbe(CmDetector model, Options opt) {
    this.model = model;
    this.opt = opt;
  }

  public List<Report> run(AvaSplit train, AvaSplit val, double fps, NDManager manager, PrintStream log) {
    BatchAssembler trainClips = new BatchAssembler(train, TrainingRun.clipSpec(model.config(), fps));
    BatchAssembler valClips = new BatchAssembler(val, TrainingRun.clipSpec(model.config(), fps));
    ClipStats tr = stats(train, trainClips, fps, manager);
    ClipStats va = stats(val, valClips, fps, manager);
    log.printf(Locale.ROOT, "probe-memory: %s memory, window [t-%d, t+%d], frozen features of %d train / %d val clips%n",
        opt.memory().cliName(), opt.back(), opt.ahead(), tr.mean().getShape().get(0), va.mean().getShape().get(0));
    Engine.getInstance().setRandomSeed((int) opt.seed());
    Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(opt.lr())).optMomentum(0.9f)
        .optWeightDecays(1e-4f).optClipGrad(10f).build();
    ParameterStore ps = new ParameterStore(manager, false);
    ps.setParameterServer(new LocalParameterServer(sgd), new Device[] {manager.getDevice()});
    for (Pair<String, Parameter> p : model.backbone().getParameters()) {
      p.getValue().getArray().setRequiresGradient(false);
    }
    SigmoidFocalLoss bce = new SigmoidFocalLoss(-1f, 0f);
    List<Report> reports = new ArrayList<>();
    int every = Math.max(1, opt.steps() / opt.reports());
    for (int step = 1; step <= opt.steps(); step++) {
      try (NDManager sm = manager.newSubManager()) {
        float loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray l = bce.evaluate(new NDList(tr.targets()), new NDList(logits(ps, tr, sm, true)));
          gc.backward(l);
          loss = l.getFloat();
        }
        ps.updateAllParameters();
        TrainingStep.zeroGradients(model);
        if (step % every == 0 || step == opt.steps()) {
          Report r = new Report(step, loss, ap(logits(ps, tr, sm, false), tr), ap(logits(ps, va, sm, false), va));
          reports.add(r);
          log.printf(Locale.ROOT, "probe-memory: step %d loss %.4f train AP%s | val AP%s%n", step, loss,
              format(r.trainAp()), format(r.valAp()));
        }
      }
    }
    return reports;
  }

  /** Logits of all boxes of a split; every array of the computation lives in {@code sm}. */
  private NDArray logits(ParameterStore ps, ClipStats s, NDManager sm, boolean training) {
    CollaborativeMemory mem = model.memory();
    NDArray mean = view(s.mean(), sm);
    NDArray averaging = view(s.averaging(), sm);
    NDArray gate;
    if (mem.type() == MemoryType.AVGPOOL) {
      gate = mem.pooledGate(ps, averaging.matMul(mem.pooledPhiOfMean(ps, mean, training)), training);
    } else {
      NDArray contributions = mem.contributionOfMoments(ps, view(s.moments(), sm), training);
      Shape c = contributions.getShape();
      NDArray g = averaging.matMul(contributions.reshape(c.get(0), -1)).reshape(c);
      gate = mem.gate(ps, mem.keyOfMean(ps, mean, training), g, training);
    }
    NDArray feats = view(s.roi(), sm).mul(view(s.boxSelection(), sm).matMul(gate));
    return model.head().classify(ps, feats, training);
  }

  /** A view of a long-lived array owned by {@code sm}, so results computed from it close with it. */
  private static NDArray view(NDArray a, NDManager sm) {
    NDArray v = a.reshape(a.getShape());
    v.attach(sm);
    return v;
  }

  private ClipStats stats(AvaSplit split, BatchAssembler clips, double fps, NDManager manager) {
    List<TrainingWindow> all = new ArrayList<>(
        new WindowSampler(split, 1, fps, WindowSampling.TILED).epoch(new Random(opt.seed())));
    all.sort(Comparator.comparing(TrainingWindow::videoId).thenComparingInt(w -> w.slots().get(0).second()));
    ParameterStore frozen = new ParameterStore(manager, false);
    NDList moments = new NDList();
    NDList means = new NDList();
    NDList rois = new NDList();
    NDList targets = new NDList();
    List<Integer> boxClip = new ArrayList<>();
    List<Integer> spans = new ArrayList<>();
    Random rnd = new Random(opt.seed());
    int clipCount = 0;
    for (int i = 0; i < all.size(); i += 16) {
      List<TrainingWindow> part = all.subList(i, Math.min(all.size(), i + 16));
      ClipBatch b = clips.training(part, rnd);
      try (NDManager bm = manager.newSubManager()) { // the batch's activations go, its statistics stay
        NDList in = b.inputs(bm);
        NDArray x = model.features(frozen, in.get(0), false);
        NDArray xf = x.reshape(x.getShape().get(0), x.getShape().get(1), -1);
        NDList kept = new NDList(xf.matMul(xf.transpose(0, 2, 1)).div(xf.getShape().get(2)),
            xf.mean(new int[] {2}), model.head().roiFeatures(x, in.get(1), b.boxClip()));
        kept.attach(manager);
        moments.add(kept.get(0));
        means.add(kept.get(1));
        rois.add(kept.get(2));
      }
      targets.add(b.labels(manager));
      for (int c : b.boxClip()) {
        boxClip.add(clipCount + c);
      }
      for (int k = 0; k < part.size(); k++) {
        TrainingWindow w = part.get(k);
        TrainingWindow prev = i + k == 0 ? null : all.get(i + k - 1);
        boolean continues = prev != null && prev.videoId().equals(w.videoId())
            && prev.slots().get(0).second() + 1 == w.slots().get(0).second();
        if (continues) {
          spans.set(spans.size() - 1, spans.get(spans.size() - 1) + 1);
        } else {
          spans.add(1);
        }
      }
      clipCount += part.size();
    }
    MemoryWindows windows = MemoryWindows.sliding(spans.stream().mapToInt(Integer::intValue).toArray(),
        opt.back(), opt.ahead());
    float[] sel = new float[boxClip.size() * clipCount];
    for (int r = 0; r < boxClip.size(); r++) {
      sel[r * clipCount + boxClip.get(r)] = 1f;
    }
    NDArray t = NDArrays.concat(targets);
    return new ClipStats(NDArrays.concat(moments), NDArrays.concat(means), NDArrays.concat(rois), t,
        manager.create(sel, new Shape(boxClip.size(), clipCount)), windows.averaging(manager, 1f),
        t.toFloatArray(), (int) t.getShape().get(1));
  }

  /** Box-level AP (points) per class: every training box ranked by its score. */
  private static double[] ap(NDArray logits, ClipStats s) {
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
