package io.cmstream.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import io.cmstream.ava.clip.ClipSpec;
import io.cmstream.runtime.WindowSpan;
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
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code trainer train}: validates the dataset, builds the model (optionally from a stage-1
 * checkpoint, or resumes {@code RUN_DIR/last}), trains with SGD (momentum, weight decay), a warm-up
 * + cosine schedule and the linear scaling rule, and after every epoch validates (frame-mAP),
 * checkpoints ({@code RUN_DIR/epoch-NNN} and {@code RUN_DIR/last}) and writes the metrics.
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
    Device device = device(opt.run().device());
    // everything that can be wrong with the input is checked before training starts
    AvaSplit train =
        AvaSplit.load(opt.data().root(), "train", opt.data().proposalThreshold(), true);
    AvaSplit val =
        opt.run().validate()
            ? AvaSplit.load(opt.data().root(), "val", opt.data().proposalThreshold(), false)
            : null;
    if (val != null && !java.util.Arrays.equals(val.classIds(), train.classIds())) {
      throw new DatasetException("train and val use different label maps");
    }
    double fps = opt.data().resolveFps();
    Path last = opt.run().out().resolve("last");
    CheckpointMeta resumeFrom =
        opt.run().resume() && Files.isDirectory(last) ? CheckpointMeta.read(last) : null;
    CheckpointMeta init =
        opt.model().initFrom() == null ? null : CheckpointMeta.read(opt.model().initFrom());
    ModelConfig cfg =
        init != null && init.model().input() != null
            ? importedConfig(init, train.numClasses(), fps).withMemory(opt.model().memory())
            : modelConfig(opt.model().preset(), train.numClasses(), fps)
                .withMemory(opt.model().memory());
    if (opt.model().crop() > 0) {
      cfg = cfg.withInput(cfg.frames(), cfg.frameStride(), opt.model().crop());
    }
    if (resumeFrom != null) {
      cfg = resumeFrom.model();
    }
    ClipSpec spec = clipSpec(cfg, fps);
    WindowSampler sampler =
        new WindowSampler(train, opt.data().clips(), fps, opt.data().sampling());
    BatchAssembler assembler = new BatchAssembler(train, spec);
    log.println("trainer: " + train);
    if (val != null) {
      log.println("trainer: " + val);
    }
    try {
      Files.createDirectories(opt.run().out());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run folder " + opt.run().out(), e);
    }

    Engine.getInstance().setRandomSeed((int) opt.run().seed());
    try (NDManager manager = NDManager.newBaseManager(device)) {
      CmDetector model = new CmDetector(cfg);
      model.initialize(manager);
      ModelComplexity complexity = ModelComplexity.of(model);
      log.printf(
          Locale.ROOT,
          "trainer: model %s (memory %s, N=%d %s, T=%d, tau=%d, %d px, fps %.3g): %s%n",
          cfg.preset(),
          cfg.memory().cliName(),
          opt.data().clips(),
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
        history = MetricsWriter.read(opt.run().out());
        history.removeIf(e -> e.epoch() > resumeFrom.epoch());
        log.printf("trainer: resuming %s after epoch %d (step %d)%n", last, startEpoch, step);
      } else if (init != null) {
        List<String> loaded =
            ParamsFile.load(
                model, opt.model().initFrom().resolve(CheckpointMeta.PARAMS), manager, false);
        log.printf(
            "trainer: initialised %d of %d parameters from %s%n",
            loaded.size(), model.getParameters().size(), opt.model().initFrom());
      }
      if (startEpoch >= opt.optim().epochs()) {
        log.println("trainer: already trained for " + startEpoch + " epochs");
        return new Result(opt.run().out(), history, complexity);
      }
      int stepsPerEpoch =
          sampler.batches(sampler.epoch(new Random(opt.run().seed())), opt.optim().batch()).size();
      float lr = opt.optim().scaledLr();
      WarmupCosine schedule =
          WarmupCosine.of(
              lr,
              Math.round(opt.optim().warmupEpochs() * stepsPerEpoch),
              stepsPerEpoch * opt.optim().epochs());
      GroupLearningRate rates =
          new GroupLearningRate(schedule).with(model.backbone(), opt.step().backboneLrMult());
      if (opt.step().backboneLrMult() != 1f) {
        log.printf(
            Locale.ROOT, "trainer: backbone learning rate x %s%n", opt.step().backboneLrMult());
      }
      Optimizer sgd = opt.optim().sgd(rates, step);
      ParameterStore store = new ParameterStore(manager, false);
      store.setParameterServer(new LocalParameterServer(sgd), new Device[] {device});
      TrainingStep trainStep =
          new TrainingStep(
              model,
              store,
              opt.optim().loss().create(),
              opt.step().twoScan(),
              2,
              opt.step().frozenBn());
      if (opt.step().frozenBn()) {
        log.println("trainer: the backbone's batch norm is frozen (inference mode)");
      }
      Validator validator = val == null ? null : validators.create(val);
      if (opt.memoryWarmup().steps() > 0 && resumeFrom == null) {
        warmUpMemory(model, train, assembler, fps, manager);
        if (validator != null) {
          Validator.Result r = validator.validate(model, spec, opt.data().clips(), manager);
          log.printf(
              Locale.ROOT,
              "trainer: after the memory warm-up: val frame-mAP %.2f %s%n",
              r.mapPoints(),
              r.perClass());
        }
      }

      for (int epoch = startEpoch + 1; epoch <= opt.optim().epochs(); epoch++) {
        long t0 = System.nanoTime();
        Random rnd = new Random(opt.run().seed() * 7919 + epoch);
        List<List<TrainingWindow>> batches =
            sampler.batches(sampler.epoch(rnd), opt.optim().batch());
        double lossSum = 0;
        double first = Double.NaN;
        int steps = 0;
        long clips = 0;
        double stepTime = 0;
        int skipped = 0;
        try (PrefetchingLoader<List<TrainingWindow>, ClipBatch> loader =
                new PrefetchingLoader<>(
                    batches, assembler::training, opt.run().seed() * 31 + epoch, 3);
            ProgressBar bar =
                progress("epoch " + epoch + "/" + opt.optim().epochs(), batches.size())) {
          while (loader.hasNext()) {
            ClipBatch b = loader.next();
            if (b.boxCount() > 0) {
              long s0 = System.nanoTime();
              float l = trainStep.run(b, manager);
              stepTime += (System.nanoTime() - s0) / 1e9;
              if (!Float.isFinite(l)) {
                skipped++;
                log.printf("trainer: step %d: non-finite loss, update skipped%n", step);
                if (skipped > 3 + steps / 10) {
                  throw new IllegalStateException(
                      "training diverged (loss " + l + ") at epoch " + epoch + "; lower --lr");
                }
                bar.step();
                continue;
              }
              if (System.getenv("CM_TRACE") != null) {
                log.printf(
                    Locale.ROOT,
                    "step %d loss %.5f clips %d boxes %d windows %s bad %s%n",
                    step,
                    l,
                    b.clipCount(),
                    b.boxCount(),
                    b.memoryWindows(),
                    nonFinite(model));
              }
              lossSum += l;
              first = Double.isNaN(first) ? l : first;
              steps++;
              step++;
              clips += b.clipCount();
            }
            bar.step();
            bar.setExtraMessage(
                String.format(
                    Locale.ROOT,
                    " loss %.4f lr %.4g %.1f clips/s",
                    steps == 0 ? 0 : lossSum / steps,
                    schedule.getNewValue((int) step),
                    stepTime == 0 ? 0 : clips / stepTime));
          }
        }
        double mapPoints = Double.NaN;
        java.util.Map<Integer, Double> perClass = java.util.Map.of();
        if (validator != null) {
          Validator.Result r = validator.validate(model, spec, opt.data().clips(), manager);
          mapPoints = r.mapPoints();
          perClass = r.perClass();
        }
        EpochMetrics em =
            new EpochMetrics(
                epoch,
                steps == 0 ? Double.NaN : lossSum / steps,
                first,
                schedule.getNewValue((int) step),
                stepTime == 0 ? 0 : clips / stepTime,
                steps == 0 ? 0 : stepTime / steps,
                mapPoints,
                perClass,
                (System.nanoTime() - t0) / 1e9);
        history.add(em);
        log.printf(
            Locale.ROOT,
            "trainer: epoch %d: loss %.4f, val frame-mAP %s, %.2f s/step, %.1f clips/s, %.0f s%s%n",
            epoch,
            em.trainLoss(),
            Double.isNaN(mapPoints) ? "-" : String.format(Locale.ROOT, "%.2f", mapPoints),
            em.stepSeconds(),
            em.clipsPerSecond(),
            em.seconds(),
            trainStep.skippedSteps() > 0
                ? ", " + trainStep.skippedSteps() + " steps skipped (non-finite gradients) so far"
                : "");
        CheckpointMeta meta =
            new CheckpointMeta(
                cfg,
                fps,
                opt.data().clips(),
                train.classIds(),
                epoch,
                step,
                opt.run().seed(),
                opt.data().root().toString());
        save(model, meta, opt.run().out().resolve(String.format(Locale.ROOT, "epoch-%03d", epoch)));
        save(model, meta, last);
        MetricsWriter.write(opt.run().out(), history);
      }
      return new Result(opt.run().out(), history, complexity);
    }
  }

  /** Names of parameters holding a NaN or infinity. */
  static List<String> nonFinite(CmDetector model) {
    List<String> bad = new ArrayList<>();
    for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : model.getParameters()) {
      for (float v : p.getValue().getArray().toFloatArray()) {
        if (!Float.isFinite(v)) {
          bad.add(p.getKey());
          break;
        }
      }
    }
    return bad;
  }

  private static void save(CmDetector model, CheckpointMeta meta, Path dir) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(CheckpointMeta.PARAMS + ".tmp");
      ParamsFile.save(model, tmp);
      Files.move(tmp, dir.resolve(CheckpointMeta.PARAMS), StandardCopyOption.REPLACE_EXISTING);
      meta.write(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + dir, e);
    }
  }

  private ProgressBar progress(String task, int max) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(1000)
        .setConsumer(new ConsoleProgressBarConsumer(log))
        .showSpeed()
        .build();
  }

  /** The device for --device; a clear error when CUDA is asked for and absent. */
  public static Device device(String name) {
    if (name.equals("cuda")) {
      if (Engine.getInstance().getGpuCount() == 0) {
        throw new IllegalArgumentException(
            "--device cuda: no CUDA device available to PyTorch "
                + "(this build has the CPU natives; on a GPU machine build with -Pcuda)");
      }
      return Device.gpu();
    }
    return Device.cpu();
  }

  /**
   * An imported model's architecture (trainer import: the source's backbone, head and clip
   * normalisation) for K classes; its frame stride, counted at the source's fps, rescaled to keep
   * the clip's span in seconds at the dataset's fps.
   */
  static ModelConfig importedConfig(CheckpointMeta init, int numClasses, double fps) {
    ModelConfig src = init.model();
    int tau = (int) Math.max(1, Math.round(src.frameStride() * fps / init.fps()));
    return src.withNumClasses(numClasses).withInput(src.frames(), tau, src.cropSize());
  }

  /** The preset's config for K classes; the tiny preset's frame stride spans one second at fps. */
  public static ModelConfig modelConfig(String preset, int numClasses, double fps) {
    ModelConfig cfg = ModelConfig.preset(preset, numClasses);
    if (cfg.preset().equals("tiny")) {
      int tau = (int) Math.max(1, Math.round(fps / cfg.frames()));
      cfg = cfg.withInput(cfg.frames(), tau, cfg.cropSize());
    }
    return cfg;
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

  /**
   * The clip spec of a model: square training crops of the model's input size; evaluation at the
   * same size, or at an imported model's own short side and normalisation.
   */
  public static ClipSpec clipSpec(ModelConfig cfg, double fps) {
    if (cfg.input() != null) {
      return new ClipSpec(
          cfg.frames(),
          cfg.frameStride(),
          fps,
          cfg.input().shortSide(),
          cfg.cropSize(),
          cfg.input().mean(),
          cfg.input().std());
    }
    return new ClipSpec(
        cfg.frames(),
        cfg.frameStride(),
        fps,
        cfg.cropSize(),
        cfg.cropSize(),
        ClipSpec.DEFAULT_MEAN,
        ClipSpec.DEFAULT_STD);
  }
}
