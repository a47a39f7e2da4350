package io.cmstream.trainer.cli;

import io.cmstream.trainer.bench.CmBenchmark;
import io.cmstream.trainer.data.WindowSampling;
import io.cmstream.trainer.train.TrainOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer bench-cm}. */
@Command(
    name = "bench-cm",
    mixinStandardHelpOptions = true,
    description =
        "Collaborative-memory ablations on a (synthetic) dataset: N in {1,3,5} and the "
            + "memory variants at N=5 from one stage-1 checkpoint; writes bench-cm.md and bench-cm.json.")
public final class BenchCmCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "dataset folder")
  Path data;

  @Option(
      names = "--out",
      defaultValue = "bench-cm",
      paramLabel = "DIR",
      description = "output folder (default ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--preset", description = "model preset (default ${DEFAULT-VALUE})")
  String preset = TrainOptions.Defaults.PRESET;

  @Option(names = "--stage1-epochs", description = "stage-1 epochs (default ${DEFAULT-VALUE})")
  int stage1Epochs = CmBenchmark.Defaults.STAGE1_EPOCHS;

  @Option(
      names = "--epochs",
      description =
          "end-to-end epochs of each stage-2 run after its memory warm-up (default ${DEFAULT-VALUE})")
  int epochs = CmBenchmark.Defaults.STAGE2_EPOCHS;

  @Option(names = "--batch", description = "clips per batch (default ${DEFAULT-VALUE})")
  int batch = CmBenchmark.Defaults.BATCH;

  @Option(
      names = "--lr",
      description = "base learning rate for 16 clips (default ${DEFAULT-VALUE})")
  float lr = CmBenchmark.Defaults.LR;

  @Option(
      names = "--stage2-lr",
      description =
          "base learning rate of the stage-2 epochs, "
              + "which fine-tune end to end after the memory warm-up; higher rates undo what the warm-up found (see the "
              + "README) (default ${DEFAULT-VALUE})")
  float stage2Lr = CmBenchmark.Defaults.STAGE2_LR;

  @Option(
      names = "--memory-warmup",
      paramLabel = "STEPS",
      description =
          "full-batch memory "
              + "warm-up steps at the start of every stage-2 run, 0 = none (see train --help) (default ${DEFAULT-VALUE})")
  int memoryWarmup = CmBenchmark.Defaults.MEMORY_WARMUP_STEPS;

  @Option(
      names = "--memory-warmup-lr",
      description = "peak learning rate of the memory warm-up " + "(default ${DEFAULT-VALUE})")
  float memoryWarmupLr = TrainOptions.Defaults.MEMORY_WARMUP_LR;

  @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
  long seed = TrainOptions.Defaults.SEED;

  @Option(
      names = "--focal-gamma",
      description = "focal-loss gamma, 0 = binary cross-entropy (default ${DEFAULT-VALUE})")
  float focalGamma = TrainOptions.Defaults.FOCAL_GAMMA;

  @Option(
      names = "--window-sampling",
      description = "sliding | tiled (see train --help; default ${DEFAULT-VALUE})")
  String windowSampling = TrainOptions.Defaults.SAMPLING.cliName();

  @Override
  public Integer call() {
    WindowSampling sampling = TrainCommand.sampling(spec, windowSampling);
    TrainOptions opt;
    CmBenchmark.Recipe recipe;
    try {
      opt =
          TrainOptions.defaults(data, out)
              .withData(d -> d.withSampling(sampling))
              .withModel(m -> m.withPreset(preset))
              .withOptim(
                  o ->
                      o.withBatch(batch)
                          .withLr(lr)
                          .withLoss(
                              new TrainOptions.Loss(TrainOptions.Defaults.FOCAL_ALPHA, focalGamma)))
              .withRun(r -> r.withSeed(seed));
      recipe =
          CmBenchmark.Recipe.DEFAULT
              .withStage1Epochs(stage1Epochs)
              .withStage2Epochs(epochs)
              .withStage2Lr(stage2Lr)
              .withMemoryWarmup(new TrainOptions.MemoryWarmupPlan(memoryWarmup, memoryWarmupLr));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    new CmBenchmark(opt, recipe, System.err).run();
    return 0;
  }
}
