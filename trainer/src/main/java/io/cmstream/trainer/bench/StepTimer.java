package io.cmstream.trainer.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.BatchAssembler;
import io.cmstream.trainer.data.ClipBatch;
import io.cmstream.trainer.data.TrainingWindow;
import io.cmstream.trainer.data.WindowSampler;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.MemoryType;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.model.TorchDevice;
import io.cmstream.trainer.train.TrainOptions;
import io.cmstream.trainer.train.TrainingStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training step time of memory variants at one N, measured side by side: the same decoded batches
 * for every variant (no loader running), warm-up steps first; each variant has two model instances,
 * created in order and in reverse order (where a model sits in memory shifts its step time by
 * several percent); in every round each batch runs on all instances back to back, in an order
 * rotated per batch, so drift of the machine's speed falls on all variants alike. Reports per
 * variant the median over rounds and both instances of the mean seconds per optimizer step
 * (forward, loss, backward, update) over the batches.
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
    AvaSplit train =
        AvaSplit.load(opt.data().root(), "train", opt.data().proposalThreshold(), true);
    double fps = opt.data().resolveFps();
    ModelConfig base = opt.model().config(train.numClasses(), fps, null);
    WindowSampler sampler =
        new WindowSampler(train, opt.data().clips(), fps, opt.data().sampling());
    BatchAssembler assembler = new BatchAssembler(train, base.clipSpec(fps));
    Random rnd = new Random(opt.run().seed());
    List<List<TrainingWindow>> all = sampler.batches(sampler.epoch(rnd), opt.optim().batch());
    ClipBatch[] fixed = new ClipBatch[Math.min(batches, all.size())];
    for (int i = 0; i < fixed.length; i++) {
      fixed[i] = assembler.training(all.get(i), rnd);
    }
    Device device = TorchDevice.of(opt.run().device());
    Engine.getInstance().setRandomSeed((int) opt.run().seed());
    try (NDManager manager = NDManager.newBaseManager(device)) {
      // every variant twice, created in order and then in reverse order: where a model sits in
      // memory and which variant runs before it shift step times by several percent, and the
      // mirror cancels that (measured: 6-8 % in favour of the first-created model otherwise)
      List<MemoryType> instances = new ArrayList<>(variants);
      List<MemoryType> reversed = new ArrayList<>(variants);
      Collections.reverse(reversed);
      instances.addAll(reversed);
      TrainingStep[] steps = new TrainingStep[instances.size()];
      for (int v = 0; v < steps.length; v++) {
        NDManager m = manager.newSubManager();
        CmDetector model = new CmDetector(base.withMemory(instances.get(v)));
        model.initialize(m);
        if (init != null) {
          ParamsFile.load(model, init.resolve(CheckpointMeta.PARAMS), m, false);
        }
        Optimizer sgd = opt.optim().sgd(Tracker.fixed(1e-4f), 0);
        ParameterStore store = new ParameterStore(m, false);
        store.setParameterServer(new LocalParameterServer(sgd), new Device[] {device});
        steps[v] = opt.trainingStep(model, store);
      }
      for (int v = 0; v < steps.length; v++) { // warm-up: allocator, caches, lazy init
        for (ClipBatch b : fixed) {
          steps[v].run(b, manager);
        }
      }
      double[][] times = new double[steps.length][rounds * fixed.length];
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < fixed.length; i++) {
          // every instance on the same batch back to back, in an order rotated per batch, so
          // drift of the machine's speed falls on all variants alike
          for (int k = 0; k < steps.length; k++) {
            int v = (r * fixed.length + i + k) % steps.length;
            long t0 = System.nanoTime();
            steps[v].run(fixed[i], manager);
            times[v][r * fixed.length + i] = (System.nanoTime() - t0) / 1e9;
          }
        }
      }
      // the batches differ in size (whole examples packed up to B clips): compare per round,
      // the mean over all batches, then the median over rounds and the two instances
      Map<MemoryType, Double> out = new LinkedHashMap<>();
      for (int v = 0; v < variants.size(); v++) {
        double[] rounds2 = new double[2 * rounds];
        for (int r = 0; r < rounds; r++) {
          rounds2[r] = roundMean(times[v], r, fixed.length);
          rounds2[rounds + r] = roundMean(times[steps.length - 1 - v], r, fixed.length);
        }
        out.put(variants.get(v), median(rounds2));
      }
      return out;
    }
  }

  private static double roundMean(double[] times, int round, int perRound) {
    double sum = 0;
    for (int i = 0; i < perRound; i++) {
      sum += times[round * perRound + i];
    }
    return sum / perRound;
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
