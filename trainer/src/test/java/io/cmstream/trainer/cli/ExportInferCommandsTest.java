package io.cmstream.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input to export / infer / bench-export: one clear line and a non-zero exit code. */
class ExportInferCommandsTest {
  @TempDir Path tmp;

  private record Run(int code, String err) {}

  private static Run run(Object command, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(command));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, err.toString());
  }

  @Test
  void shouldRefuseExportFromAFolderThatIsNoCheckpoint() {
    Run r =
        run(
            new ExportCommand(),
            "--checkpoint",
            tmp.toString(),
            "--out",
            tmp.resolve("b").toString());
    assertEquals(Cli.FAILURE, r.code());
    assertTrue(r.err().contains("not a checkpoint folder"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void shouldRefuseInferOnAFolderWithoutManifest() throws Exception {
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    Run r =
        run(
            new InferCommand(),
            "--bundle",
            bundle.toString(),
            "--data",
            tmp.toString(),
            "--out",
            tmp.resolve("d.csv").toString());
    assertEquals(Cli.FAILURE, r.code());
    assertTrue(r.err().contains("manifest.json is missing"), r.err());
  }

  @Test
  void shouldRefuseBenchWithoutBundleOption() {
    Run r = run(new BenchExportCommand());
    assertEquals(Cli.USAGE, r.code());
    assertTrue(r.err().contains("--bundle"), r.err());
  }
}
