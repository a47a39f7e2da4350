package io.cmstream.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.cli.Cli;
import io.cmstream.trainer.data.TinyAvaFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainerCliTest {
  @TempDir Path dir;

  private record Run(int code, String err) {}

  private Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(new TrainerCli()));
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    int code = cl.execute(args);
    return new Run(code, err.toString());
  }

  @Test
  void shouldRejectAnUnknownPresetAsAUsageError() {
    Run r =
        run(
            "train",
            "--data",
            dir.toString(),
            "--out",
            dir.resolve("o").toString(),
            "--preset",
            "huge");
    assertEquals(Cli.USAGE, r.code());
    assertTrue(r.err().contains("unknown preset 'huge'"), r.err());
  }

  @Test
  void shouldRejectAnUnknownMemoryVariantAndOption() {
    assertEquals(Cli.USAGE, run("train", "--data", "d", "--out", "o", "--memory", "lstm").code());
    assertEquals(Cli.USAGE, run("train", "--data", "d", "--out", "o", "--frobnicate").code());
    assertEquals(Cli.USAGE, run("train", "--data", "d", "--out", "o", "--clips", "0").code());
    Run sampling = run("train", "--data", "d", "--out", "o", "--window-sampling", "random");
    assertEquals(Cli.USAGE, sampling.code());
    assertTrue(sampling.err().contains("unknown window sampling 'random'"), sampling.err());
    assertEquals(Cli.USAGE, run("bench-cm", "--data", "d", "--window-sampling", "random").code());
  }

  @Test
  void shouldRejectAMemoryWarmupWithoutAStageOneCheckpointOrWithBadNumbers() {
    Run r = run("train", "--data", "d", "--out", "o", "--memory-warmup", "100");
    assertEquals(Cli.USAGE, r.code());
    assertTrue(r.err().contains("--memory-warmup needs --init-from"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals(
        Cli.USAGE, run("train", "--data", "d", "--out", "o", "--memory-warmup", "-1").code());
    assertEquals(
        Cli.USAGE,
        run(
                "train",
                "--data",
                "d",
                "--out",
                "o",
                "--init-from",
                "c",
                "--memory-warmup",
                "5",
                "--memory-warmup-lr",
                "0")
            .code());
    assertEquals(
        Cli.USAGE, run("train", "--data", "d", "--out", "o", "--backbone-lr-mult", "-0.5").code());
    assertEquals(Cli.USAGE, run("bench-cm", "--data", "d", "--memory-warmup", "-3").code());
  }

  @Test
  void shouldFailInOneLineOnAMissingDatasetFile() throws IOException {
    Path data = TinyAvaFixture.write(dir.resolve("data"));
    Files.delete(data.resolve("annotations/ava_train_predicted_boxes.csv"));
    Files.delete(data.resolve("annotations/ava_action_list_v2.2_for_activitynet_2019.pbtxt"));
    Run r = run("train", "--data", data.toString(), "--out", dir.resolve("run").toString());
    assertEquals(Cli.FAILURE, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("missing label map"), r.err());
    assertFalse(Files.exists(dir.resolve("run")));
  }

  @Test
  void shouldRejectUnknownEvaluationBoxesAndProbeViews() {
    Run r = run("eval", "--data", "d", "--checkpoint", "c", "--out", "o.csv", "--boxes", "oracle");
    assertEquals(Cli.USAGE, r.code());
    assertTrue(r.err().contains("--boxes must be detected or ground-truth, got 'oracle'"), r.err());
    Run v = run("probe-memory", "--data", "d", "--checkpoint", "c", "--views", "full+zoom");
    assertEquals(Cli.USAGE, v.code());
    assertTrue(v.err().contains("views must be like full, crop, 2crops or full+crop"), v.err());
  }

  @Test
  void shouldRefuseCudaWithoutAGpu() throws IOException {
    Path data = TinyAvaFixture.write(dir.resolve("data"));
    Run r =
        run(
            "train",
            "--data",
            data.toString(),
            "--out",
            dir.resolve("run").toString(),
            "--device",
            "cuda");
    assertEquals(Cli.FAILURE, r.code());
    assertTrue(r.err().contains("--device cuda: no CUDA device"), r.err());
  }

  @Test
  void importRefusesAMissingFileInOneLineAndAnUnknownSourceAsUsage() {
    Run missing =
        run(
            "import",
            "--from",
            "pyslowfast",
            "--checkpoint",
            dir.resolve("none.pyth").toString(),
            "--config",
            dir.resolve("c.yaml").toString(),
            "--labelmap",
            dir.resolve("l.pbtxt").toString(),
            "--out",
            dir.resolve("run").toString());
    assertEquals(Cli.FAILURE, missing.code());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
    assertTrue(missing.err().contains("no such file: " + dir.resolve("none.pyth")), missing.err());
    Run unknown =
        run(
            "import",
            "--from",
            "detectron",
            "--checkpoint",
            "a",
            "--config",
            "b",
            "--labelmap",
            "c",
            "--out",
            "d");
    assertEquals(Cli.USAGE, unknown.code());
    assertTrue(unknown.err().contains("--from must be pyslowfast"), unknown.err());
  }

  @Test
  void importFromMmaction2RefusesAPythonConfigInOneLine() throws IOException {
    Path ckpt = Files.writeString(dir.resolve("m.pth"), "x");
    Path py = Files.writeString(dir.resolve("cfg.py"), "model = dict()\n");
    Path labels = Files.writeString(dir.resolve("l.pbtxt"), "");
    Run r =
        run(
            "import",
            "--from",
            "mmaction2",
            "--checkpoint",
            ckpt.toString(),
            "--config",
            py.toString(),
            "--labelmap",
            labels.toString(),
            "--out",
            dir.resolve("run").toString());
    assertEquals(Cli.FAILURE, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("cfg.py is a Python config"), r.err());
  }
}
