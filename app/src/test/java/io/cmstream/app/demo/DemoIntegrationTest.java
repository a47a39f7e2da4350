package io.cmstream.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cmstream.app.CmCli;
import io.cmstream.ava.eval.EvalProgress;
import io.cmstream.ava.eval.FrameMapEvaluator;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.ava.synth.SynthDataset;
import io.cmstream.ava.video.VideoReader;
import io.cmstream.common.cli.Cli;
import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.replay.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cm demo} end to end on the embedded KRaft broker with the bundled demo model: one
 * detection per second, the same mAP as an offline replay of the very clips it streamed, an
 * annotated video with every frame, and a report whose images exist.
 */
class DemoIntegrationTest {
  static final Path BUNDLE = Path.of(System.getProperty("cm.demo.bundle", "../models/demo"));
  static final int SECONDS = 12;

  @Test
  void shouldDetectEverySecondOnceAndMatchReplay(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    int code =
        Cli.execute(
            new CmCli(),
            "demo",
            "--bundle",
            BUNDLE.toString(),
            "--out",
            out.toString(),
            "--seconds",
            String.valueOf(SECONDS),
            "--plain",
            "--http-port",
            "-1");
    assertEquals(0, code, "demo exit code");

    JsonNode run = new ObjectMapper().readTree(out.resolve(DemoOutputs.RUN).toFile());
    int streamed = run.path("seconds_streamed").asInt();
    assertEquals(SECONDS, streamed, "one clip per whole second of video");
    assertEquals(
        streamed, run.path("seconds_detected").asInt(), "a detection record for every second");
    assertEquals(
        streamed,
        run.path("detection_records").asInt(),
        "exactly one record per second (no duplicates)");

    Path gt = out.resolve("groundtruth.csv");
    Path labels = out.resolve("input").resolve(SynthDataset.LABEL_MAP);
    Path demoCsv = out.resolve(DemoOutputs.DETECTIONS);
    List<DetectionRow> demoRows = DetectionsCsv.read(demoCsv);
    assertFalse(demoRows.isEmpty());

    DetectorConfig config = DemoRun.detectorConfig(BUNDLE, null);
    Replay.Result replay =
        Replay.run(
            config,
            List.of(out.resolve(DemoRun.RECORDING)),
            io.cmstream.detector.topology.DetectorTopology.Stores.IN_MEMORY,
            b -> {});
    Path replayCsv = dir.resolve("replay.csv");
    DetectionsCsv.write(replayCsv, Replay.rows(replay.detections()));
    FrameMapEvaluator eval = new FrameMapEvaluator();
    double demoMap = eval.evaluate(labels, gt, demoCsv, null, EvalProgress.NONE).meanAp();
    double replayMap = eval.evaluate(labels, gt, replayCsv, null, EvalProgress.NONE).meanAp();
    assertEquals(
        replayMap, demoMap, 1e-6, "the service through Kafka scores as the offline replay does");
    assertEquals(keys(Replay.rows(replay.detections())), keys(demoRows));

    int frames = 0;
    try (VideoReader r = VideoReader.open(out.resolve(DemoOutputs.VIDEO))) {
      while (r.next().isPresent()) {
        frames++;
      }
    }
    int fps = (int) Math.round(config.model().clipSpec().fps());
    assertEquals(SECONDS * fps, frames, "the annotated video has every frame of the input");

    String html = Files.readString(out.resolve(DemoOutputs.REPORT));
    Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int images = 0;
    while (img.find()) {
      assertTrue(
          Files.isRegularFile(out.resolve(img.group(1))), "report image exists: " + img.group(1));
      images++;
    }
    assertTrue(
        images >= 4, "PR curves, with/without memory, timeline and latency charts: " + images);
    assertTrue(
        html.contains("What the memory adds"), "the report compares with the clip-only scores");
    List<DetectionRow> clipOnly = DetectionsCsv.read(out.resolve(ClipOnlyScores.CSV));
    Set<Integer> seconds = new TreeSet<>();
    demoRows.forEach(r -> seconds.add(r.key().timestamp()));
    Set<Integer> clipOnlySeconds = new TreeSet<>();
    clipOnly.forEach(r -> clipOnlySeconds.add(r.key().timestamp()));
    assertEquals(seconds, clipOnlySeconds, "the same seconds scored without context");
    assertTrue(
        !keys(clipOnly).isEmpty() && keys(clipOnly).equals(keys(demoRows)),
        "the same persons and classes");
    assertTrue(html.contains(DemoOutputs.VIDEO), "the report links the annotated video");
  }

  @Test
  void shouldRefuseUnreadableInputAndUnwritableOutput(@TempDir Path dir) throws Exception {
    Path notVideo = dir.resolve("x.mp4");
    Files.writeString(notVideo, "not a video");
    assertEquals(
        Cli.FAILURE,
        Cli.execute(
            new CmCli(),
            "demo",
            "--bundle",
            BUNDLE.toString(),
            "--input",
            notVideo.toString(),
            "--out",
            dir.resolve("o").toString(),
            "--plain"));
    Path file = dir.resolve("file");
    Files.writeString(file, "");
    assertEquals(
        Cli.FAILURE,
        Cli.execute(
            new CmCli(),
            "demo",
            "--bundle",
            BUNDLE.toString(),
            "--out",
            file.resolve("sub").toString(),
            "--plain"));
    assertEquals(
        Cli.FAILURE,
        Cli.execute(
            new CmCli(), "demo", "--bundle", dir.resolve("nobundle").toString(), "--plain"));
  }

  private static Set<String> keys(List<DetectionRow> rows) {
    Set<String> s = new TreeSet<>();
    rows.forEach(r -> s.add(r.key() + "," + r.actionId()));
    return s;
  }
}
