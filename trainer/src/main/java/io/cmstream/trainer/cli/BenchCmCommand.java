package io.cmstream.trainer.cli;

import io.cmstream.trainer.train.CmBenchmark;
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

  @Option(
      names = "--preset",
      defaultValue = "tiny",
      description = "model preset (default ${DEFAULT-VALUE})")
  String preset;

  @Option(
      names = "--stage1-epochs",
      defaultValue = "20",
      description = "stage-1 epochs (default ${DEFAULT-VALUE})")
  int stage1Epochs;

  @Option(
      names = "--epochs",
      defaultValue = "3",
      description =
          "end-to-end epochs of each stage-2 run after its memory warm-up (default ${DEFAULT-VALUE})")
  int epochs;

  @Option(
      names = "--batch",
      defaultValue = "20",
      description = "clips per batch (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "0.3",
      description = "base learning rate for 16 clips (default ${DEFAULT-VALUE})")
  float lr;

  @Option(
      names = "--stage2-lr",
      defaultValue = "0.001",
      description =
          "base learning rate of the stage-2 epochs, "
              + "which fine-tune end to end after the memory warm-up; higher rates undo what the warm-up found (see the "
              + "README) (default ${DEFAULT-VALUE})")
  float stage2Lr;

  @Option(
      names = "--memory-warmup",
      defaultValue = "1000",
      paramLabel = "STEPS",
      description =
          "full-batch memory "
              + "warm-up steps at the start of every stage-2 run, 0 = none (see train --help) (default ${DEFAULT-VALUE})")
  int memoryWarmup;

  @Option(
      names = "--memory-warmup-lr",
      defaultValue = "2",
      description = "peak learning rate of the memory warm-up " + "(default ${DEFAULT-VALUE})")
  float memoryWarmupLr;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--focal-gamma",
      defaultValue = "0",
      description = "focal-loss gamma, 0 = binary cross-entropy (default ${DEFAULT-VALUE})")
  float focalGamma;

  @Option(
      names = "--window-sampling",
      defaultValue = "sliding",
      description = "sliding | tiled (see train --help; default ${DEFAULT-VALUE})")
  String windowSampling;

  @Override
  public Integer call() {
    TrainOptions opt =
        TrainCommand.options(
                spec, data, out, preset, 1, "default", Math.max(1, epochs), batch, lr, seed, "cpu")
            .withLoss(-1f, focalGamma)
            .withSampling(TrainCommand.sampling(spec, windowSampling));
    if (stage1Epochs < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--stage1-epochs must be >= 1");
    }
    if (!(stage2Lr > 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--stage2-lr must be > 0");
    }
    if (memoryWarmup < 0 || !(memoryWarmupLr > 0)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--memory-warmup must be >= 0 and --memory-warmup-lr > 0");
    }
    new CmBenchmark(opt, stage1Epochs, epochs, stage2Lr, memoryWarmup, memoryWarmupLr, System.err)
        .run();
    return 0;
  }
}
