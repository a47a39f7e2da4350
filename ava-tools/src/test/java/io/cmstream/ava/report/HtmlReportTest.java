package io.cmstream.ava.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.cli.AvaToolsCli;
import io.cmstream.ava.eval.EvalProgress;
import io.cmstream.ava.eval.FrameMapEvaluator;
import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.ava.eval.PrCurve;
import io.cmstream.common.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  static final Path SAMPLE = Path.of("..", "samples", "ava");

  @Test
  void shouldWriteReportWithItsImagesAndTheEvaluatorsMap(@TempDir Path dir) throws Exception {
    Path metrics = dir.resolve("run.json");
    Files.writeString(
        metrics,
        "{\"clips_per_second\": 12.5, \"latency_ms_p50\": 80, \"latency_ms\": [70, 80, 95]}");
    Path manifest = dir.resolve("manifest.json");
    Files.writeString(manifest, "{\"modelId\": \"demo\", \"clips\": 5}");
    Path out = dir.resolve("report");
    int code =
        Cli.execute(
            new AvaToolsCli(),
            "report",
            "--detections",
            SAMPLE.resolve("detections.csv").toString(),
            "--groundtruth",
            SAMPLE.resolve("groundtruth.csv").toString(),
            "--labelmap",
            SAMPLE.resolve("labelmap.pbtxt").toString(),
            "--exclusions",
            SAMPLE.resolve("exclusions.csv").toString(),
            "--run-metrics",
            metrics.toString(),
            "--manifest",
            manifest.toString(),
            "--out",
            out.toString());
    assertEquals(0, code);
    String html = Files.readString(out.resolve("report.html"));
    Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int images = 0;
    while (img.find()) {
      Path png = out.resolve(img.group(1));
      assertTrue(Files.isRegularFile(png), "referenced image exists: " + png);
      assertTrue(ImageIO.read(png.toFile()).getWidth() > 100, "a real PNG: " + png);
      images++;
    }
    assertTrue(images >= 3, "PR curves, a timeline and latency, got " + images);
    FrameMapResult expected =
        new FrameMapEvaluator()
            .evaluate(
                SAMPLE.resolve("labelmap.pbtxt"),
                SAMPLE.resolve("groundtruth.csv"),
                SAMPLE.resolve("detections.csv"),
                SAMPLE.resolve("exclusions.csv"),
                EvalProgress.NONE);
    assertTrue(
        html.contains(String.format(Locale.ROOT, "<b>%.2f</b>", 100 * expected.meanAp())),
        "report shows the evaluator's mAP");
    assertTrue(
        html.contains("&quot;modelId&quot;") || html.contains("\"modelId\""), "manifest included");
    assertTrue(html.contains("clips_per_second"));
  }

  @Test
  void shouldEndPrCurveAtTheClassRecall(@TempDir Path dir) {
    FrameMapResult r =
        new FrameMapEvaluator(FrameMapEvaluator.Options.defaults(), true)
            .evaluate(
                SAMPLE.resolve("labelmap.pbtxt"),
                SAMPLE.resolve("groundtruth.csv"),
                SAMPLE.resolve("detections.csv"),
                null,
                EvalProgress.NONE);
    for (FrameMapResult.ClassAp c : r.perClass()) {
      PrCurve curve = r.curve(c.id());
      if (!c.hasAp() || c.detections() == 0) {
        continue;
      }
      assertTrue(curve.size() > 0);
      for (int i = 1; i < curve.size(); i++) {
        assertTrue(curve.recall()[i] >= curve.recall()[i - 1], "recall never falls");
      }
      double area = 0;
      for (int i = 0; i < curve.size(); i++) {
        assertTrue(curve.precision()[i] >= 0 && curve.precision()[i] <= 1);
      }
      assertTrue(curve.recall()[curve.size() - 1] <= 1.0);
      // AP (interpolated) is at least the area under the raw curve's step function
      double prev = 0;
      for (int i = 0; i < curve.size(); i++) {
        area += (curve.recall()[i] - prev) * curve.precision()[i];
        prev = curve.recall()[i];
      }
      assertTrue(c.ap() + 1e-9 >= area, c.name() + ": AP " + c.ap() + " vs raw area " + area);
    }
  }

  @Test
  void shouldShowWhatTheMemoryAddsPerClassFromTheClipOnlyScores(@TempDir Path dir)
      throws Exception {
    // "clip only": class 79's true person at 0902 scored low, and the other person there ranked
    // first
    Path clipOnly = dir.resolve("clip_only.csv");
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(SAMPLE.resolve("detections.csv"))) {
      String[] f = line.split(",");
      if (f[6].equals("79") && f[1].equals("0902")) {
        f[7] = "0.01";
      }
      sb.append(String.join(",", f)).append('\n');
    }
    sb.append("demo_kitchen,0902,0.545,0.120,0.840,0.970,79,0.99\n");
    Files.writeString(clipOnly, sb.toString());
    Path out = dir.resolve("report");
    int code =
        Cli.execute(
            new AvaToolsCli(),
            "report",
            "--detections",
            SAMPLE.resolve("detections.csv").toString(),
            "--groundtruth",
            SAMPLE.resolve("groundtruth.csv").toString(),
            "--labelmap",
            SAMPLE.resolve("labelmap.pbtxt").toString(),
            "--clip-only-detections",
            clipOnly.toString(),
            "--memory-window",
            "[t-2, t+2]",
            "--out",
            out.toString());
    assertEquals(0, code);
    FrameMapEvaluator ev = new FrameMapEvaluator();
    FrameMapResult with =
        ev.evaluate(
            SAMPLE.resolve("labelmap.pbtxt"),
            SAMPLE.resolve("groundtruth.csv"),
            SAMPLE.resolve("detections.csv"),
            null,
            EvalProgress.NONE);
    FrameMapResult without =
        ev.evaluate(
            SAMPLE.resolve("labelmap.pbtxt"),
            SAMPLE.resolve("groundtruth.csv"),
            clipOnly,
            null,
            EvalProgress.NONE);
    double gain79 = 100 * (with.classAp(79).ap() - without.classAp(79).ap());
    assertTrue(
        gain79 >= MemoryComparison.NOTABLE_POINTS, "the fixture changes class 79's AP: " + gain79);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("What the memory adds"));
    assertTrue(html.contains("[t-2, t+2]"));
    // every class with AP on both sides has its row, both APs side by side
    for (MemoryComparison.Row r : MemoryComparison.rows(with, without)) {
      assertTrue(
          html.contains(
              String.format(
                  Locale.ROOT,
                  "<td>%.2f</td><td>%.2f</td><td>%+.2f</td>",
                  100 * r.withMemory(),
                  100 * r.clipOnly(),
                  r.gainPoints())),
          "row of " + r.name());
    }
    String sentence =
        MemoryComparison.sentence(with, without, MemoryComparison.rows(with, without));
    assertTrue(
        sentence.contains(with.classAp(79).name()),
        "the sentence names the class the memory helps: " + sentence);
    assertTrue(
        sentence.contains("at most 0.0 points"), "and says the others did not move: " + sentence);
    assertTrue(
        ImageIO.read(out.resolve(MemoryComparison.CHART).toFile()).getWidth() > 100,
        "the bar chart");
  }

  @Test
  void shouldSayWhenTheInputHasNoGroundTruth(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("report");
    int code =
        Cli.execute(
            new AvaToolsCli(),
            "report",
            "--detections",
            SAMPLE.resolve("detections.csv").toString(),
            "--labelmap",
            SAMPLE.resolve("labelmap.pbtxt").toString(),
            "--clip-only-detections",
            SAMPLE.resolve("detections.csv").toString(),
            "--out",
            out.toString());
    assertEquals(0, code);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("has no ground truth"));
    assertTrue(
        !html.contains("What the memory adds") && !html.contains("Frame-mAP"),
        "no AP is shown without ground truth");
    assertTrue(html.contains("timeline_00.png"), "the detections' timeline is");
  }

  @Test
  void shouldRefuseAMissingInputFile(@TempDir Path dir) {
    assertEquals(
        Cli.FAILURE,
        Cli.execute(
            new AvaToolsCli(),
            "report",
            "--detections",
            dir.resolve("none.csv").toString(),
            "--labelmap",
            SAMPLE.resolve("labelmap.pbtxt").toString(),
            "--out",
            dir.resolve("r").toString()));
  }
}
