package io.cmstream.ava.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cmstream.ava.eval.EvalProgress;
import io.cmstream.ava.eval.FrameMapEvaluator;
import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.ava.format.Box;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.ava.viz.BoxLabel;
import io.cmstream.ava.viz.SecondLabels;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code report.html} and its PNGs into a folder: per-class AP with PR curves (when ground
 * truth is given), a timeline of actions per person, latency and throughput figures, and the
 * model's manifest. Used by {@code ava-tools report} and by the demo.
 */
public final class HtmlReport {
  /** Files written. */
  public record Written(Path html, List<Path> images, FrameMapResult evaluation) {}

  private static final double TIMELINE_THRESHOLD = 0.5;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private HtmlReport() {}

  /** The run's latency per stage (p50/p95 ms, written by the demo), as a table and a bar chart. */
  private static void latencyStages(
      JsonNode stages, Path outDir, StringBuilder h, List<Path> images) {
    List<String> names = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p95 = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = stages.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getValue().isObject() && f.getValue().path("p50").isNumber()) {
        names.add(f.getKey());
        p50.add(f.getValue().path("p50").asDouble());
        p95.add(f.getValue().path("p95").asDouble());
      }
    }
    if (names.isEmpty()) {
      return;
    }
    h.append("<h3>Latency per stage (")
        .append(stages.path("detections").asInt())
        .append(
            " detections)</h3>\n<table><tr><th>stage</th><th>p50 ms</th><th>p95 ms</th></tr>\n");
    for (int i = 0; i < names.size(); i++) {
      h.append("<tr><td>")
          .append(esc(names.get(i)))
          .append("</td><td>")
          .append(Math.round(p50.get(i)))
          .append("</td><td>")
          .append(Math.round(p95.get(i)))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    Path png = outDir.resolve("latency-stages.png");
    ReportCharts.latencyStages(names, p50, p95, png);
    images.add(png);
    h.append("<p><img src=\"latency-stages.png\" alt=\"latency per stage\"></p>\n");
  }

  public static Written write(ReportInputs in, Path outDir) {
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create report folder " + outDir + ": " + e.getMessage(), e);
    }
    if (!Files.isWritable(outDir)) {
      throw new IllegalArgumentException("report folder is not writable: " + outDir);
    }
    LabelMap labels = LabelMapPbtxt.read(in.labelMap());
    List<DetectionRow> dets = DetectionsCsv.read(in.detections());
    List<Path> images = new ArrayList<>();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(in.title()))
        .append(
            "</title>\n<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "td:first-child,th:first-child,td:nth-child(2){text-align:left}pre{background:#f6f6f6;padding:1em;overflow:auto}"
                + "img{max-width:100%}</style></head><body>\n<h1>")
        .append(esc(in.title()))
        .append("</h1>\n");
    FrameMapResult eval = null;
    h.append("<h2>Detection quality</h2>\n");
    if (in.groundTruth() != null) {
      eval =
          new FrameMapEvaluator(FrameMapEvaluator.Options.defaults(), true)
              .evaluate(
                  in.labelMap(),
                  in.groundTruth(),
                  in.detections(),
                  in.exclusions(),
                  EvalProgress.NONE);
      h.append(
          String.format(
              Locale.ROOT,
              "<p>Frame-mAP (IoU 0.5, PASCAL VOC all-point AP, ActivityNet AVA rules): <b>%.2f</b></p>\n",
              100 * eval.meanAp()));
      h.append(
          "<table><tr><th>id</th><th>class</th><th>AP</th><th>ground truth</th><th>detections</th></tr>\n");
      for (FrameMapResult.ClassAp c : eval.perClass()) {
        h.append(
            String.format(
                Locale.ROOT,
                "<tr><td>%d</td><td>%s</td><td>%s</td><td>%d</td><td>%d</td></tr>\n",
                c.id(),
                esc(c.name()),
                c.hasAp() ? String.format(Locale.ROOT, "%.2f", 100 * c.ap()) : "n/a",
                c.groundTruth(),
                c.detections()));
      }
      h.append("</table>\n");
      Path pr = outDir.resolve("pr_curves.png");
      ReportCharts.prCurves(eval, pr);
      images.add(pr);
      h.append("<p><img src=\"pr_curves.png\" alt=\"precision/recall curves\"></p>\n");
      if (in.clipOnlyDetections() != null) {
        FrameMapResult clipOnly =
            new FrameMapEvaluator(FrameMapEvaluator.Options.defaults(), true)
                .evaluate(
                    in.labelMap(),
                    in.groundTruth(),
                    in.clipOnlyDetections(),
                    in.exclusions(),
                    EvalProgress.NONE);
        h.append(
            MemoryComparison.section(
                eval,
                clipOnly,
                in.memoryWindow() == null ? "of the model" : in.memoryWindow(),
                outDir,
                images));
      }
    } else {
      h.append(
          "<p>This input has no ground truth: no AP, and no comparison with and without the memory. "
              + "Below are the detections over time and the annotated video.</p>\n");
    }

    h.append("<h2>Actions per person over time</h2>\n");
    Map<String, List<DetectionRow>> byVideo = new TreeMap<>();
    for (DetectionRow d : dets) {
      byVideo.computeIfAbsent(d.key().videoId(), k -> new ArrayList<>()).add(d);
    }
    int v = 0;
    for (Map.Entry<String, List<DetectionRow>> e : byVideo.entrySet()) {
      List<ReportCharts.TimelinePoint> points = new ArrayList<>();
      timeline(e.getValue(), labels, points);
      String name = String.format(Locale.ROOT, "timeline_%02d.png", v++);
      ReportCharts.timeline(
          points,
          labels,
          outDir.resolve(name),
          "video " + e.getKey() + " (score >= " + TIMELINE_THRESHOLD + ")");
      images.add(outDir.resolve(name));
      h.append("<p><img src=\"")
          .append(name)
          .append("\" alt=\"timeline of ")
          .append(esc(e.getKey()))
          .append("\"></p>\n");
    }
    if (byVideo.isEmpty()) {
      h.append("<p>No detections.</p>\n");
    }

    if (in.annotatedVideo() != null) {
      String rel = relative(outDir, in.annotatedVideo());
      h.append("<h2>Annotated video</h2>\n<p><video controls width=\"640\" src=\"")
          .append(esc(rel))
          .append("\"></video><br><a href=\"")
          .append(esc(rel))
          .append("\">")
          .append(esc(rel))
          .append("</a></p>\n");
    }

    if (in.runMetrics() != null) {
      JsonNode m = readJson(in.runMetrics());
      h.append("<h2>Latency and throughput</h2>\n<table><tr><th>figure</th><th>value</th></tr>\n");
      for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (f.getValue().isValueNode()) {
          h.append("<tr><td>")
              .append(esc(f.getKey()))
              .append("</td><td>")
              .append(esc(f.getValue().asText()))
              .append("</td></tr>\n");
        }
      }
      h.append("</table>\n");
      JsonNode lat = m.path("latency_ms");
      if (lat.isArray() && lat.size() > 0) {
        double[] ms = new double[lat.size()];
        for (int i = 0; i < ms.length; i++) {
          ms[i] = lat.get(i).asDouble();
        }
        Path png = outDir.resolve("latency.png");
        ReportCharts.latency(ms, png);
        images.add(png);
        h.append("<p><img src=\"latency.png\" alt=\"latency\"></p>\n");
      }
      latencyStages(m.path("latency_stages_ms"), outDir, h, images);
    }

    if (in.manifest() != null) {
      h.append("<h2>Model</h2>\n<pre>")
          .append(esc(pretty(readJson(in.manifest()))))
          .append("</pre>\n");
    }
    h.append("<p><small>Written by CM-Stream.</small></p>\n</body></html>\n");
    Path html = outDir.resolve("report.html");
    try {
      Files.writeString(html, h.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + html + ": " + e.getMessage(), e);
    }
    return new Written(html, List.copyOf(images), eval);
  }

  /** Fills the timeline points of one video (persons as {@link SecondLabels}' track ids). */
  private static void timeline(
      List<DetectionRow> rows, LabelMap labels, List<ReportCharts.TimelinePoint> out) {
    SecondLabels tracks =
        SecondLabels.build(rows, List.of(), labels, Integer.MAX_VALUE, TIMELINE_THRESHOLD);
    Map<Integer, Map<Box, List<DetectionRow>>> bySecond = new TreeMap<>();
    for (DetectionRow d : rows) {
      bySecond
          .computeIfAbsent(d.key().timestamp(), k -> new java.util.LinkedHashMap<>())
          .computeIfAbsent(d.box(), k -> new ArrayList<>())
          .add(d);
    }
    for (int second : tracks.seconds()) {
      for (BoxLabel b : tracks.at(second)) {
        List<DetectionRow> ds =
            bySecond
                .getOrDefault(second, Map.of())
                .getOrDefault(new Box(b.x1(), b.y1(), b.x2(), b.y2()), List.of());
        for (DetectionRow d : ds) {
          if (d.score() >= TIMELINE_THRESHOLD && labels.contains(d.actionId())) {
            out.add(new ReportCharts.TimelinePoint(b.colorKey(), second, d.actionId()));
          }
        }
      }
    }
  }

  private static String relative(Path from, Path to) {
    try {
      return from.toAbsolutePath()
          .normalize()
          .relativize(to.toAbsolutePath().normalize())
          .toString();
    } catch (IllegalArgumentException e) {
      return to.toString();
    }
  }

  private static JsonNode readJson(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JSON " + p + ": " + e.getMessage(), e);
    }
  }

  private static String pretty(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
