package io.cmstream.ava.cli;

import io.cmstream.ava.eval.BenchmarkCase;
import io.cmstream.ava.eval.EvalProgress;
import io.cmstream.ava.eval.FrameMapEvaluator;
import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.common.cli.Cli;
import io.cmstream.common.cli.ProjectVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ava-tools bench-eval}: times the evaluator on a generated AVA-v2.2-val-sized case. */
@Command(
    name = "bench-eval",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description = {
      "Generates an AVA-v2.2-val-sized case in a temp folder (removed afterwards), evaluates it",
      "and prints wall time and peak memory."
    })
public final class BenchEvalCommand implements Callable<Integer> {
  @Option(
      names = "--keyframes",
      description = "keyframes (default: ${DEFAULT-VALUE}, about AVA v2.2 val)")
  int keyframes = 57_000;

  @Option(names = "--classes", description = "classes (default: ${DEFAULT-VALUE})")
  int classes = 60;

  @Option(
      names = "--detections-per-keyframe",
      description = "detection rows per keyframe (default: ${DEFAULT-VALUE})")
  int perKey = 51;

  @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--threads", description = "worker threads (default: ${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--keep",
      description = "keep the generated case in this folder instead of a temp folder")
  Path keep;

  @Override
  public Integer call() throws IOException {
    Path dir = keep != null ? keep : Files.createTempDirectory("cm-bench-eval-");
    try {
      BenchmarkCase bench = new BenchmarkCase(keyframes, classes, perKey, seed);
      long t0 = System.nanoTime();
      BenchmarkCase.Stats stats = bench.write(dir);
      long t1 = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "generated %,d keyframes, %d classes: %,d ground-truth rows, %,d detection rows (%.1f MB) in %.1f s%n",
          stats.keyframes(),
          stats.classes(),
          stats.groundTruthRows(),
          stats.detectionRows(),
          stats.bytes() / 1e6,
          (t1 - t0) / 1e9);
      System.gc();
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        p.resetPeakUsage();
      }
      BenchmarkCase.Files4 f = bench.files(dir);
      double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      long c2 = cpuTime();
      long t2 = System.nanoTime();
      FrameMapResult r;
      try (EvalProgress progress = new ProgressBarEvalProgress()) {
        r =
            new FrameMapEvaluator(new FrameMapEvaluator.Options(threads, false))
                .evaluate(f.labelMap(), f.groundTruth(), f.detections(), f.exclusions(), progress);
      }
      long t3 = System.nanoTime();
      long c3 = cpuTime();
      long heapPeak = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
          heapPeak += p.getPeakUsage().getUsed();
        }
      }
      System.out.printf(
          Locale.ROOT,
          "evaluated %,d detection rows (%,d scored after the top-%d cut, exclusions and invalid boxes) on %d threads%n",
          r.counts().detectionRows(),
          r.counts().scoredDetections(),
          FrameMapEvaluator.TOP_K,
          threads);
      System.out.printf(Locale.ROOT, "frame-mAP = %.4f%n", r.meanAp());
      System.out.printf(
          Locale.ROOT,
          "wall time: %.2f s (process CPU time %.2f s; load average %.1f on %d cores before the run)%n",
          (t3 - t2) / 1e9,
          (c3 - c2) / 1e9,
          load,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "peak heap (sum of pool peaks during eval): %.0f MB; process peak RSS (VmHWM): %s%n",
          heapPeak / 1e6,
          vmHwm());
      return Cli.OK;
    } finally {
      if (keep == null) {
        deleteTree(dir);
      }
    }
  }

  private static long cpuTime() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  private static String vmHwm() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          String[] parts = l.trim().split("\\s+");
          return String.format(Locale.ROOT, "%.0f MB", Long.parseLong(parts[1]) * 1024 / 1e6);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "n/a";
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
