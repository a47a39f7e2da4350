package io.cmstream.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.ava.format.GroundTruthCsv;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.ava.report.HtmlReport;
import io.cmstream.ava.report.ReportInputs;
import io.cmstream.ava.viz.SecondLabels;
import io.cmstream.ava.viz.VideoAnnotator;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import io.cmstream.detector.replay.Replay;
import io.cmstream.schemas.avro.DetectionRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes what a demo run produced: detections CSV, annotated MP4, run figures and report.html. */
public final class DemoOutputs {
  public static final String DETECTIONS = "detections.csv";
  public static final String VIDEO = "annotated.mp4";
  public static final String RUN = "run.json";
  public static final String REPORT = "report.html";

  /** What was written. */
  public record Written(Path detections, Path video, int videoFrames, Path report, Double meanAp) {}

  private DemoOutputs() {}

  public static Written write(
      DemoInput input,
      DemoResult result,
      DemoSettings settings,
      String modelId,
      int back,
      int ahead) {
    Path out = settings.out();
    List<DetectionRecord> records = new ArrayList<>();
    result.received().values().forEach(r -> records.add(r.record()));
    List<DetectionRow> rows = Replay.rows(records);
    Path csv = out.resolve(DETECTIONS);
    DetectionsCsv.write(csv, rows);

    Path labelMapFile =
        input.labelMap() != null ? input.labelMap() : settings.bundle().resolve("labelmap.pbtxt");
    LabelMap labels = LabelMapPbtxt.read(labelMapFile);
    List<GroundTruthRow> gt =
        input.hasGroundTruth()
            ? GroundTruthCsv.read(input.groundTruth()).stream()
                .filter(g -> g.key().videoId().equals(input.streamId()))
                .toList()
            : List.of();
    Path mp4 = out.resolve(VIDEO);
    // the rows as the report reads them back, so the video and the timeline get the same person
    // tracks
    List<DetectionRow> written = DetectionsCsv.read(csv);
    VideoAnnotator.Result video =
        VideoAnnotator.annotate(
            input.video(), SecondLabels.build(written, gt, labels, 3, 0.3), 0, mp4, f -> {});

    Path run = out.resolve(RUN);
    writeJson(run, figures(result, modelId, back, ahead));
    Path gtForReport = null;
    Path clipOnly = null;
    if (input.hasGroundTruth()) {
      gtForReport = out.resolve("groundtruth.csv");
      GroundTruthCsv.write(gtForReport, gt);
      clipOnly =
          ClipOnlyScores.write(
              DemoRun.detectorConfig(settings.bundle(), settings.ahead()),
              out.resolve(DemoRun.RECORDING),
              out.resolve(ClipOnlyScores.CSV));
    }
    HtmlReport.Written report =
        HtmlReport.write(
            new ReportInputs(
                "CM-Stream demo: stream " + input.streamId(),
                csv,
                labelMapFile,
                gtForReport,
                input.exclusions(),
                settings.bundle().resolve("manifest.json"),
                run,
                mp4,
                clipOnly,
                "[t-" + back + ", t+" + ahead + "]"),
            out);
    Double map = report.evaluation() == null ? null : report.evaluation().meanAp();
    return new Written(csv, mp4, video.frames(), report.html(), map);
  }

  static RunFigures figures(DemoResult r, String modelId, int back, int ahead) {
    List<Long> lat = new ArrayList<>(r.latenciesMs());
    return new RunFigures(
        modelId,
        "[t-" + back + ", t+" + ahead + "]",
        r.clipsStreamed(),
        r.received().size(),
        r.records(),
        round(r.mediaSeconds()),
        round(r.streamSeconds()),
        round(r.clipsStreamed() / Math.max(1e-9, r.streamSeconds())),
        LatencyStages.percentile(lat, 0.50),
        LatencyStages.percentile(lat, 0.95),
        LatencyStages.percentile(lat, 1.0),
        r.received().isEmpty() ? null : r.received().values().iterator().next().latencyMs(),
        r.latencyFloorMs(),
        r.stopped(),
        lat,
        LatencyStages.figures(r.received().values()),
        r.received().isEmpty()
            ? null
            : LatencyStages.named(r.received().values().iterator().next()));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static void writeJson(Path file, Object value) {
    try {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(file.toFile(), value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
