package io.cmstream.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cmstream.common.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LiveRunOptionsTest {

  @Test
  void shouldGiveEachCommandItsOwnDefaults() {
    LiveBenchCommand live = new LiveBenchCommand();
    new CommandLine(live).parseArgs("--bundle", "b");
    GpuCheckCommand gpu = new GpuCheckCommand();
    new CommandLine(gpu).parseArgs("--bundle", "b");

    assertEquals("cpu", live.run.device);
    assertEquals(1, live.run.batch);
    assertEquals(Path.of("target/live-bench"), live.run.out);
    assertEquals("cuda", gpu.run.device);
    assertEquals(8, gpu.run.batch);
    assertEquals(Path.of("target/gpu-check"), gpu.run.out);
    assertEquals(20, gpu.run.seconds);
  }

  @Test
  void shouldPassTheSharedOptionsOfGpuCheckToEachLiveRun() {
    GpuCheckCommand gpu = new GpuCheckCommand();
    new CommandLine(gpu)
        .parseArgs("--bundle", "b", "--device", "auto", "--seconds", "5", "--batch", "4");

    LiveRunOptions batched = gpu.run.withBatch(4, gpu.run.out.resolve("batch-4"));

    assertEquals(Path.of("b"), batched.bundle);
    assertEquals("auto", batched.device);
    assertEquals(5, batched.seconds);
    assertEquals(4, batched.batch);
    assertEquals(Path.of("target/gpu-check/batch-4"), batched.out);
  }

  @Test
  void shouldRunALiveBenchMadeWithoutTheCommandLineOnTheDefaultSyntheticClips() {
    // gpu-check makes its live runs without parsing: the synthetic clips keep their defaults
    LiveBenchCommand live = new LiveBenchCommand();

    assertEquals(320, live.synthetic.clips(2).clip("s", 0, false).getWidth());
  }

  @Test
  void shouldRefuseARunWithoutABundleAsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(new GpuCheckCommand()));
    cl.setErr(new PrintWriter(err));

    assertEquals(Cli.USAGE, cl.execute("--device", "cpu"));
    assertEquals(
        "gpu-check: usage error: Missing required option: '--bundle=DIR' (see --help)",
        err.toString().strip());
  }
}
