package io.cmstream.ava.cli;

import io.cmstream.ava.report.HtmlReport;
import io.cmstream.ava.report.ReportInputs;
import io.cmstream.common.cli.ProjectVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ava-tools report}: the HTML report the demo writes, for any detections CSV. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = ProjectVersion.class,
    description =
        "Write report.html: per-class AP and PR curves, actions per person over time, latency/throughput, model manifest.")
public final class ReportCommand implements Callable<Integer> {
  @Option(names = "--detections", required = true, description = "AVA detections CSV")
  Path detections;

  @Option(names = "--labelmap", required = true, description = "label map pbtxt")
  Path labelMap;

  @Option(names = "--groundtruth", description = "AVA ground-truth CSV (adds AP and PR curves)")
  Path groundTruth;

  @Option(names = "--exclusions", description = "excluded timestamps CSV")
  Path exclusions;

  @Option(names = "--manifest", description = "model bundle manifest.json to include")
  Path manifest;

  @Option(
      names = "--run-metrics",
      description = "JSON object of run figures (latency, throughput; optional latency_ms array)")
  Path runMetrics;

  @Option(names = "--video", description = "annotated video to link")
  Path video;

  @Option(
      names = "--clip-only-detections",
      description =
          "the same clips scored with the memory window cut to the "
              + "clip itself (detector replay --back 0 --ahead 0); with --groundtruth adds AP with and without memory")
  Path clipOnlyDetections;

  @Option(
      names = "--memory-window",
      defaultValue = "of the model",
      description =
          "the served memory window, as "
              + "shown next to --clip-only-detections (e.g. \"[t-2, t+2]\")")
  String memoryWindow;

  @Option(
      names = "--title",
      defaultValue = "CM-Stream detection report",
      description = "page title")
  String title;

  @Option(names = "--out", required = true, description = "output folder (report.html and PNGs)")
  Path out;

  @Override
  public Integer call() {
    for (Path p :
        new Path[] {
          detections, labelMap, groundTruth, exclusions, manifest, runMetrics, clipOnlyDetections
        }) {
      if (p != null && !Files.isRegularFile(p)) {
        throw new IllegalArgumentException("no such file: " + p);
      }
    }
    HtmlReport.Written w =
        HtmlReport.write(
            new ReportInputs(
                title,
                detections,
                labelMap,
                groundTruth,
                exclusions,
                manifest,
                runMetrics,
                video,
                clipOnlyDetections,
                memoryWindow),
            out);
    if (w.evaluation() != null) {
      System.out.printf(Locale.ROOT, "frame-mAP %.2f%n", 100 * w.evaluation().meanAp());
    }
    System.out.println("wrote " + w.html() + " with " + w.images().size() + " images");
    return 0;
  }
}
