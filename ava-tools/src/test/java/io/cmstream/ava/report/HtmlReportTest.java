package io.cmstream.ava.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.cli.AvaToolsCli;
import io.cmstream.ava.cli.Cli;
import io.cmstream.ava.eval.EvalProgress;
import io.cmstream.ava.eval.FrameMapEvaluator;
import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.ava.eval.PrCurve;
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
    Files.writeString(metrics, "{\"clips_per_second\": 12.5, \"latency_ms_p50\": 80, \"latency_ms\": [70, 80, 95]}");
    Path manifest = dir.resolve("manifest.json");
    Files.writeString(manifest, "{\"modelId\": \"demo\", \"clips\": 5}");
    Path out = dir.resolve("report");
    int code = Cli.execute(new AvaToolsCli(), "report",
        "--detections", SAMPLE.resolve("detections.csv").toString(),
        "--groundtruth", SAMPLE.resolve("groundtruth.csv").toString(),
        "--labelmap", SAMPLE.resolve("labelmap.pbtxt").toString(),
        "--exclusions", SAMPLE.resolve("exclusions.csv").toString(),
        "--run-metrics", metrics.toString(), "--manifest", manifest.toString(),
        "--out", out.toString());
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
    FrameMapResult expected = new FrameMapEvaluator().evaluate(
        SAMPLE.resolve("labelmap.pbtxt"), SAMPLE.resolve("groundtruth.csv"), SAMPLE.resolve("detections.csv"),
        SAMPLE.resolve("exclusions.csv"), EvalProgress.NONE);
    assertTrue(html.contains(String.format(Locale.ROOT, "<b>%.2f</b>", 100 * expected.meanAp())), "report shows the evaluator's mAP");
    assertTrue(html.contains("&quot;modelId&quot;") || html.contains("\"modelId\""), "manifest included");
    assertTrue(html.contains("clips_per_second"));
  }

  @Test
  void shouldEndPrCurveAtTheClassRecall(@TempDir Path dir) {
    FrameMapResult r = new FrameMapEvaluator(FrameMapEvaluator.Options.defaults(), true).evaluate(
        SAMPLE.resolve("labelmap.pbtxt"), SAMPLE.resolve("groundtruth.csv"), SAMPLE.resolve("detections.csv"), null, EvalProgress.NONE);
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
  void shouldRefuseAMissingInputFile(@TempDir Path dir) {
    assertEquals(Cli.FAILURE, Cli.execute(new AvaToolsCli(), "report", "--detections", dir.resolve("none.csv").toString(),
        "--labelmap", SAMPLE.resolve("labelmap.pbtxt").toString(), "--out", dir.resolve("r").toString()));
  }
}
