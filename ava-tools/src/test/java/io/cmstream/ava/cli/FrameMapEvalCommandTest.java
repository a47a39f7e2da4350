package io.cmstream.ava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cmstream.common.cli.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's first command, on the bundled sample, through the command line. */
class FrameMapEvalCommandTest {
  static final Path SAMPLE = Path.of("..", "samples", "ava");

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(new AvaToolsCli()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void shouldEvaluateTheBundledSampleToItsHandComputedAps() throws IOException {
    Path json = dir.resolve("out/result.json");
    Run r =
        run(
            "eval",
            "--no-progress",
            "--labelmap",
            SAMPLE.resolve("labelmap.pbtxt").toString(),
            "--groundtruth",
            SAMPLE.resolve("groundtruth.csv").toString(),
            "--detections",
            SAMPLE.resolve("detections.csv").toString(),
            "--json",
            json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().contains("frame-mAP@0.5IoU = 64.44 (6 of 7 classes have ground truth)"), r.out());
    JsonNode j = new ObjectMapper().readTree(json.toFile());
    // sit 11/12, stand 19/20, walk 3/4, carry 1/4, talk 5/6, watch 1/6 (see samples/ava/README.md)
    assertEquals(29.0 / 45.0, j.get("mAP").asDouble(), 1e-12);
    assertEquals("sit", j.get("per_class").get("11").get("name").asText());
    assertEquals(11.0 / 12.0, j.get("per_class").get("11").get("ap").asDouble(), 1e-12);
    assertEquals(19.0 / 20.0, j.get("per_class").get("12").get("ap").asDouble(), 1e-12);
    assertEquals(0.75, j.get("per_class").get("14").get("ap").asDouble(), 1e-12);
    assertEquals(0.25, j.get("per_class").get("17").get("ap").asDouble(), 1e-12);
    assertEquals(5.0 / 6.0, j.get("per_class").get("79").get("ap").asDouble(), 1e-12);
    assertEquals(1.0 / 6.0, j.get("per_class").get("80").get("ap").asDouble(), 1e-12);
    assertTrue(j.get("per_class").get("1").get("ap").isNull());
    assertEquals(2, j.size());
  }

  @Test
  void shouldApplyTheSampleExclusions() throws IOException {
    Path json = dir.resolve("ex.json");
    Run r =
        run(
            "eval",
            "--no-progress",
            "--labelmap",
            SAMPLE.resolve("labelmap.pbtxt").toString(),
            "--groundtruth",
            SAMPLE.resolve("groundtruth.csv").toString(),
            "--detections",
            SAMPLE.resolve("detections.csv").toString(),
            "--exclusions",
            SAMPLE.resolve("exclusions.csv").toString(),
            "--json",
            json.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(json.toFile());
    assertEquals(1.0 / 3.0, j.get("per_class").get("80").get("ap").asDouble(), 1e-12);
    assertEquals(121.0 / 180.0, j.get("mAP").asDouble(), 1e-12);
  }

  @Test
  void shouldFailWithOneLineNamingFileAndLineOnBadInput() throws IOException {
    Path bad = dir.resolve("det.csv");
    Files.writeString(
        bad,
        "demo_kitchen,0902,0.1,0.1,0.5,0.5,11,0.9\ndemo_kitchen,0902,0.1,0.1,0.5,0.5,11,high\n");
    Run r =
        run(
            "eval",
            "--no-progress",
            "--labelmap",
            SAMPLE.resolve("labelmap.pbtxt").toString(),
            "--groundtruth",
            SAMPLE.resolve("groundtruth.csv").toString(),
            "--detections",
            bad.toString());
    assertEquals(1, r.code());
    assertEquals(
        "eval: error: " + bad + ":2: bad score 'high': not a decimal number", r.err().strip());
    assertFalse(r.err().contains("Exception"));

    Path lm = dir.resolve("lm.pbtxt");
    Files.writeString(lm, "item {\n  name: \"a\"\n  id: 1\n}\nentry {\n}\n");
    r =
        run(
            "eval",
            "--no-progress",
            "--labelmap",
            lm.toString(),
            "--groundtruth",
            SAMPLE.resolve("groundtruth.csv").toString(),
            "--detections",
            bad.toString());
    assertEquals(1, r.code());
    assertEquals(
        "eval: error: "
            + lm
            + ":5: unknown label-map syntax 'entry': expected 'item {' or 'label {'",
        r.err().strip());

    r =
        run(
            "eval",
            "--labelmap",
            lm.toString(),
            "--groundtruth",
            dir.resolve("missing.csv").toString(),
            "--detections",
            bad.toString());
    assertEquals(1, r.code());
    assertEquals(
        "eval: error: cannot read " + dir.resolve("missing.csv") + ": no such file",
        r.err().strip());
  }

  @Test
  void shouldExitWithUsageCodeWithoutRequiredOptions() {
    assertEquals(2, run("eval", "--labelmap", "x").code());
  }
}
