package io.cmstream.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.common.window.WindowSpan;
import io.cmstream.trainer.checkpoint.CheckpointMeta;
import io.cmstream.trainer.checkpoint.ParamsFile;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.BatchAssembler;
import io.cmstream.trainer.data.ClipBatch;
import io.cmstream.trainer.data.DatasetException;
import io.cmstream.trainer.data.PrefetchingLoader;
import io.cmstream.trainer.data.TrainingWindow;
import io.cmstream.trainer.data.WindowSampler;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.ModelComplexity;
import io.cmstream.trainer.model.ModelConfig;
import io.cmstream.trainer.model.TorchDevice;
import io.cmstream.trainer.train.TrainingListener.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code trainer train}: validates the dataset, builds the model (optionally from a stage-1
 * checkpoint, or resumes {@code RUN_DIR/last}), trains with SGD (momentum, weight decay), a warm-up
 * + cosine schedule and the linear scaling rule, and after every epoch validates (frame-mAP); the
 * progress bar, the divergence guard, the epoch's log line, the checkpoints ({@code
 * RUN_DIR/epoch-NNN} and {@code RUN_DIR/last}) and the metrics files are {@link TrainingListener}s
 * of the loop.
 */
public final class TrainingRun {
  private final TrainOptions opt;
  private final Validator.Factory validators;
  private final PrintStream log;

  public TrainingRun(TrainOptions options, Validator.Factory validators, PrintStream log) {
    this.opt = options;
    this.validators = validators;
    this.log = log;
  }

  /** What a run produced. */
  public record Result(Path runDir, List<EpochMetrics> epochs, ModelComplexity complexity) {
    public EpochMetrics last() {
      return epochs.get(epochs.size() - 1);
    }
  }

  public Result run() {
    Device device = TorchDevice.of(opt.run().device());
    // everything that can be wrong with the input is checked before training starts
    Path data = opt.data().root();
    AvaSplit train = AvaSplit.load(data, "train", opt.data().proposalThreshold(), true);
    AvaSplit val =
        opt.run().validate()
            ? AvaSplit.load(data, "val", opt.data().proposalThreshold(), false)
            : null;
    if (val != null && !Arrays.equals(val.classIds(), train.classIds())) {
      throw new DatasetException("train and val use different label maps");
    }
    double fps = opt.data().resolveFps();
    Path out = opt.run().out();
    Path last = out.resolve("last");
    CheckpointMeta resumeFrom =
        opt.run().resume() && Files.isDirectory(last) ? CheckpointMeta.read(last) : null;
    Path initFrom = opt.model().initFrom();
    CheckpointMeta init = initFrom == null ? null : CheckpointMeta.read(initFrom);
    ModelConfig cfg =
        resumeFrom != null ? resumeFrom.model() : opt.model().config(train.numClasses(), fps, init);
    int clips = opt.data().clips();
    ClipSpec spec = cfg.clipSpec(fps);
    WindowSampler sampler = new WindowSampler(train, clips, fps, opt.data().sampling());
    BatchAssembler assembler = new BatchAssembler(train, spec);
    log.println("trainer: " + train);
    if (val != null) {
      log.println("trainer: " + val);
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run folder " + out, e);
    }

    long seed = opt.run().seed();
    int epochs = opt.optim().epochs();
    Engine.getInstance().setRandomSeed((int) seed);
    try (NDManager manager = NDManager.newBaseManager(device)) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(manager);
      ModelComplexity complexity = ModelComplexity.of(model);
      log.printf(
          Locale.ROOT,
          "trainer: model %s (memory %s, N=%d %s, T=%d, tau=%d, %d px, fps %.3g): %s%n",
          cfg.preset(),
          cfg.memory().cliName(),
          clips,
          opt.data().sampling().cliName(),
          cfg.frames(),
          cfg.frameStride(),
          cfg.cropSize(),
          fps,
          complexity);
      int startEpoch = 0;
      long step = 0;
      List<EpochMetrics> history = new ArrayList<>();
      if (resumeFrom != null) {
        ParamsFile.load(model, last.resolve(CheckpointMeta.PARAMS), manager, true);
        startEpoch = resumeFrom.epoch();
        step = resumeFrom.step();
        history = MetricsWriter.read(out);
        history.removeIf(e -> e.epoch() > resumeFrom.epoch());
        log.printf("trainer: resuming %s after epoch %d (step %d)%n", last, startEpoch, step);
      } else if (init != null) {
        List<String> loaded =
            ParamsFile.load(model, initFrom.resolve(CheckpointMeta.PARAMS), manager, false);
        log.printf(
            "trainer: initialised %d of %d parameters from %s%n",
            loaded.size(), model.getParameters().size(), initFrom);
      }
      if (startEpoch >= epochs) {
        log.println("trainer: already trained for " + startEpoch + " epochs");
        return new Result(out, history, complexity);
      }
      int stepsPerEpoch =
          sampler.batches(sampler.epoch(new Random(seed)), opt.optim().batch()).size();
      WarmupCosine schedule =
          WarmupCosine.of(
              opt.optim().scaledLr(),
              Math.round(opt.optim().warmupEpochs() * stepsPerEpoch),
              stepsPerEpoch * epochs);
      float backboneLrMult = opt.step().backboneLrMult();
      GroupLearningRate rates =
          new GroupLearningRate(schedule).with(model.backbone(), backboneLrMult);
      if (backboneLrMult != 1f) {
        log.printf(Locale.ROOT, "trainer: backbone learning rate x %s%n", backboneLrMult);
      }
      Optimizer sgd = opt.optim().sgd(rates, step);
      ParameterStore store = new ParameterStore(manager, false);
      store.setParameterServer(new LocalParameterServer(sgd), new Device[] {device});
      TrainingStep trainStep = opt.trainingStep(model, store);
      if (opt.step().frozenBn()) {
        log.println("trainer: the backbone's batch norm is frozen (inference mode)");
      }
      Validator validator = val == null ? null : validators.create(val);
      if (opt.memoryWarmup().steps() > 0 && resumeFrom == null) {
        warmUpMemory(model, train, assembler, fps, manager);
        if (validator != null) {
          Validator.Result r = validator.validate(model, spec, clips, manager);
          log.printf(
              Locale.ROOT,
              "trainer: after the memory warm-up: val frame-mAP %.2f %s%n",
              r.mapPoints(),
              r.perClass());
        }
      }

      List<TrainingListener> listeners = new ArrayList<>();
      listeners.add(new DivergenceGuard(log));
      if (StepTrace.enabled()) {
        listeners.add(new StepTrace(model, log));
      }
      listeners.add(new ProgressBarListener(schedule, log));
      listeners.add(new EpochLog(trainStep::skippedSteps, log));
      listeners.add(
          new CheckpointWriter(
              model,
              new CheckpointMeta(
                  cfg, fps, clips, train.classIds(), startEpoch, step, seed, data.toString()),
              out));
      listeners.add(new MetricsWriter(out));
      for (int epoch = startEpoch + 1; epoch <= epochs; epoch++) {
        long t0 = System.nanoTime();
        Random rnd = new Random(seed * 7919 + epoch);
        List<List<TrainingWindow>> batches =
            sampler.batches(sampler.epoch(rnd), opt.optim().batch());
        EpochStats stats = new EpochStats();
        for (TrainingListener l : listeners) {
          l.onEpochBegin(epoch, epochs, batches.size());
        }
        try (PrefetchingLoader<List<TrainingWindow>, ClipBatch> loader =
            new PrefetchingLoader<>(batches, assembler::training, seed * 31 + epoch, 3)) {
          try {
            while (loader.hasNext()) {
              ClipBatch b = loader.next();
              Outcome outcome = Outcome.NO_BOXES;
              float loss = Float.NaN;
              if (b.boxCount() > 0) {
                long s0 = System.nanoTime();
                loss = trainStep.run(b, manager);
                stats.addTime((System.nanoTime() - s0) / 1e9);
                if (Float.isFinite(loss)) {
                  stats.addStep(loss, b.clipCount());
                  step++;
                  outcome = Outcome.TRAINED;
                } else {
                  outcome = Outcome.NON_FINITE;
                }
              }
              TrainingListener.Batch event =
                  new TrainingListener.Batch(epoch, outcome, loss, b, step, stats);
              for (TrainingListener l : listeners) {
                l.onBatch(event);
              }
            }
          } finally {
            for (TrainingListener l : listeners) {
              l.onEpochTrained(epoch);
            }
          }
        }
        // validation is a phase of the loop, as in DJL's EasyTrain.fit (see TrainingListener)
        Validator.Result v =
            validator == null ? null : validator.validate(model, spec, clips, manager);
        EpochMetrics em =
            new EpochMetrics(
                epoch,
                stats.meanLoss(),
                stats.firstLoss(),
                schedule.getNewValue((int) step),
                stats.clipsPerSecond(),
                stats.secondsPerStep(),
                v == null ? Double.NaN : v.mapPoints(),
                v == null ? Map.of() : v.perClass(),
                (System.nanoTime() - t0) / 1e9);
        history.add(em);
        TrainingListener.EpochEnd end =
            new TrainingListener.EpochEnd(em, step, List.copyOf(history));
        for (TrainingListener l : listeners) {
          l.onEpochEnd(end);
        }
      }
      return new Result(out, history, complexity);
    }
  }

  /**
   * Stage 2's {@link MemoryWarmup} on the training clips, each reading its centred N-second window.
   * Every clip is cached as its whole frame, as evaluation and serving see it (measured with {@code
   * probe-memory} from a synthetic stage-1 backbone, val box AP of the three context classes:
   * random training crops 94 / 86 / 100, whole frames 99 / 92 / 100, both 99 / 93 / 100 at twice
   * the cost).
   */
  private void warmUpMemory(
      CmDetector model, AvaSplit train, BatchAssembler assembler, double fps, NDManager manager) {
    long t0 = System.nanoTime();
    WindowSpan window = WindowSpan.centred(opt.data().clips());
    try (NDManager wm = manager.newSubManager()) {
      ClipStatistics.Views views = ClipStatistics.Views.FULL_FRAME;
      ClipStatistics stats =
          ClipStatistics.of(model, train, assembler, fps, opt.run().seed(), views, wm);
      float[] first = {Float.NaN};
      MemoryWarmup.Result r =
          new MemoryWarmup(model, opt.memoryWarmup().steps(), opt.memoryWarmup().lr())
              .run(
                  stats.windowed(window.back(), window.ahead(), wm),
                  opt.optim().loss().create(),
                  wm,
                  (step, loss, ps, sm) -> {
                    if (step == 1) {
                      first[0] = loss;
                    }
                  });
      log.printf(
          Locale.ROOT,
          "trainer: memory warm-up (backbone frozen): %d full-batch steps on %d clips (seen as: %s) "
              + "/ %d boxes at peak LR %s%s, loss %.4f -> %.4f, %.0f s%n",
          opt.memoryWarmup().steps(),
          stats.clips() / views.count(),
          views,
          stats.boxes(),
          r.lr(),
          r.lr() < opt.memoryWarmup().lr() ? " (halved after a diverged start)" : "",
          first[0],
          r.loss(),
          (System.nanoTime() - t0) / 1e9);
    }
  }
}
