package io.cmstream.ava.report;

import java.nio.file.Path;

/**
 * What a report is made of. Only detections and the label map are required; ground truth adds
 * per-class AP and PR curves, a manifest adds the model card, run metrics (a flat JSON object of
 * figures, with an optional {@code "latency_ms"} array) add latency and throughput, and an
 * annotated video is linked. With ground truth, {@code clipOnlyDetections} (the same clips scored
 * with the memory window cut to the clip itself) adds the "what the memory adds" section, whose
 * served window {@code memoryWindow} names (e.g. "[t-2, t+2]").
 */
public record ReportInputs(
    String title,
    Path detections,
    Path labelMap,
    Path groundTruth,
    Path exclusions,
    Path manifest,
    Path runMetrics,
    Path annotatedVideo,
    Path clipOnlyDetections,
    String memoryWindow) {

  /** Inputs without the memory comparison. */
  public ReportInputs(
      String title,
      Path detections,
      Path labelMap,
      Path groundTruth,
      Path exclusions,
      Path manifest,
      Path runMetrics,
      Path annotatedVideo) {
    this(
        title,
        detections,
        labelMap,
        groundTruth,
        exclusions,
        manifest,
        runMetrics,
        annotatedVideo,
        null,
        null);
  }
}
