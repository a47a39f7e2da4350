package io.cmstream.ava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthCommandTest {
  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(new AvaToolsCli()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void shouldWriteATinyDatasetAndPrintItsSizeAndCeiling() {
    Run r =
        run(
            "synth",
            "--out",
            tmp.resolve("ds").toString(),
            "--seed",
            "3",
            "--videos",
            "2",
            "--seconds",
            "8",
            "--fps",
            "4",
            "--size",
            "64x48",
            "--actors",
            "1");
    assertEquals(Cli.OK, r.code(), r.err());
    assertTrue(r.out().contains("2 videos"), r.out());
    assertTrue(r.out().contains("ceiling clip_only"), r.out());
    assertTrue(Files.isRegularFile(tmp.resolve("ds/ceiling.json")));
  }

  @Test
  void shouldRejectKnobsOutOfRangeWithOneLineAndUsageCode() {
    for (String[] bad :
        new String[][] {
          {"--videos", "1"},
          {"--seconds", "3"},
          {"--fps", "5"},
          {"--size", "64by48"},
          {"--size", "30x20"},
          {"--actors", "0"},
          {"--jpeg-quality", "2"}
        }) {
      Run r = run("synth", "--out", tmp.resolve("x").toString(), bad[0], bad[1]);
      assertEquals(Cli.USAGE, r.code(), String.join(" ", bad));
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().startsWith("synth: usage error: "), r.err());
      assertFalse(Files.exists(tmp.resolve("x")), "nothing written for bad knobs");
    }
  }

  @Test
  void shouldFailWithOneLineForAnUnusableOutputFolder() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Run r =
        run("synth", "--out", file.resolve("sub").toString(), "--videos", "2", "--seconds", "8");
    assertEquals(Cli.FAILURE, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("synth: error: cannot create output folder"), r.err());
    Path full = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(full.resolve("keep.txt"), "x");
    Run r2 = run("synth", "--out", full.toString(), "--videos", "2", "--seconds", "8");
    assertEquals(Cli.FAILURE, r2.code());
    assertTrue(r2.err().contains("is not empty"), r2.err());
  }
}
