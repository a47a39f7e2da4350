package io.cmstream.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.BatchAssembler;
import io.cmstream.trainer.data.ClipBatch;
import io.cmstream.trainer.data.TrainingWindow;
import io.cmstream.trainer.data.WindowSampler;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.model.SigmoidFocalLoss;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training step time of memory variants at one N, measured side by side: the same decoded
 * batches for every variant (no loader running), warm-up steps first, then rounds that time each
 * variant in turn on every batch, so drift of the machine's load falls on all variants alike.
 * Reports the median seconds per optimizer step (forward, loss, backward, update).
 */
public final class StepTimer {
  private final TrainOptions opt;
  private final int batches;
  private final int rounds;

  /**
   * @param opt training options (data, preset, N, batch, loss)
   * @param batches distinct batches per round
   * @param rounds timed rounds (each times every variant on every batch)
   */
  public StepTimer(TrainOptions opt, int batches, int rounds) {
    this.opt = opt;
    this.batches = Math.max(1, batches);
    this.rounds = Math.max(1, rounds);
  }

  /** Median step seconds per variant, each initialised from {@code init} (or fresh when null). */
  public Map<MemoryType, Double> measure(List<MemoryType> variants, Path init) {
    AvaSplit train = AvaSplit.load(opt.data(), "train", opt.proposalThreshold(), true);
    double fps = opt.fps() > 0 ? opt.fps() : DatasetFps.detect(opt.data());
    ModelConfig base = TrainingRun.modelConfig(opt.preset(), train.numClasses(), fps);
    if (opt.crop() > 0) {
      base = base.withInput(base.frames(), base.frameStride(), opt.crop());
    }
    WindowSampler sampler = new WindowSampler(train, opt.clips(), fps, opt.sampling());
    BatchAssembler assembler = new BatchAssembler(train, TrainingRun.clipSpec(base, fps));
    Random rnd = new Random(opt.seed());
    List<List<TrainingWindow>> all = sampler.batches(sampler.epoch(rnd), opt.batch());
    ClipBatch[] fixed = new ClipBatch[Math.min(batches, all.size())];
    for (int i = 0; i < fixed.length; i++) {
      fixed[i] = assembler.training(all.get(i), rnd);
    }
    Device device = TrainingRun.device(opt.device());
    Engine.getInstance().setRandomSeed((int) opt.seed());
    try (NDManager manager = NDManager.newBaseManager(device)) {
      TrainingStep[] steps = new TrainingStep[variants.size()];
      for (int v = 0; v < steps.length; v++) {
        NDManager m = manager.newSubManager();
        CmDetector model = new CmDetector(base.withMemory(variants.get(v)));
        model.initialize(m);
        if (init != null) {
          ParamsFile.load(model, init.resolve(CheckpointMeta.PARAMS), m, false);
        }
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1e-4f))
            .optMomentum(opt.momentum()).optWeightDecays(opt.weightDecay()).optClipGrad(10f).build();
        ParameterStore store = new ParameterStore(m, false);
        store.setParameterServer(new LocalParameterServer(sgd), new Device[] {device});
        steps[v] = new TrainingStep(model, store,
            new SigmoidFocalLoss(opt.focalAlpha(), opt.focalGamma()), opt.twoScan(), 2);
      }
      for (int v = 0; v < steps.length; v++) { // warm-up: allocator, caches, lazy init
        for (ClipBatch b : fixed) {
          steps[v].run(b, manager);
        }
      }
      double[][] times = new double[steps.length][rounds * fixed.length];
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < steps.length; k++) {
          int v = (r + k) % steps.length; // rotate the order so no variant always goes first
          for (int i = 0; i < fixed.length; i++) {
            long t0 = System.nanoTime();
            steps[v].run(fixed[i], manager);
            times[v][r * fixed.length + i] = (System.nanoTime() - t0) / 1e9;
          }
        }
      }
      Map<MemoryType, Double> out = new LinkedHashMap<>();
      for (int v = 0; v < steps.length; v++) {
        out.put(variants.get(v), median(times[v]));
      }
      return out;
    }
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
