package io.cmstream.ava.report;

import io.cmstream.ava.eval.FrameMapResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The report's "what the memory adds" section: the same clips scored with the model's memory window
 * and with the window cut to the clip itself, per-class AP side by side in a table and a bar chart,
 * and one sentence that reads them.
 */
final class MemoryComparison {
  /** A class whose AP moves by at least this much (points) is named in the sentence. */
  static final double NOTABLE_POINTS = 5;

  static final String CHART = "memory_ap.png";

  /** One class with AP on both sides (fractions). */
  record Row(int id, String name, double withMemory, double clipOnly, long groundTruth) {
    double gainPoints() {
      return 100 * (withMemory - clipOnly);
    }
  }

  private MemoryComparison() {}

  /** The classes that have an AP in both evaluations, in label-map order. */
  static List<Row> rows(FrameMapResult withMemory, FrameMapResult clipOnly) {
    List<Row> rows = new ArrayList<>();
    for (FrameMapResult.ClassAp c : withMemory.perClass()) {
      FrameMapResult.ClassAp o = clipOnly.classAp(c.id());
      if (c.hasAp() && o != null && o.hasAp()) {
        rows.add(new Row(c.id(), c.name(), c.ap(), o.ap(), c.groundTruth()));
      }
    }
    return rows;
  }

  /** The sentence that says what the comparison means. */
  static String sentence(FrameMapResult withMemory, FrameMapResult clipOnly, List<Row> rows) {
    double gain = 100 * (withMemory.meanAp() - clipOnly.meanAp());
    List<Row> notable =
        rows.stream()
            .filter(r -> r.gainPoints() >= NOTABLE_POINTS)
            .sorted(Comparator.comparingDouble(Row::gainPoints).reversed())
            .toList();
    double others =
        rows.stream()
            .filter(r -> r.gainPoints() < NOTABLE_POINTS)
            .mapToDouble(r -> Math.abs(r.gainPoints()))
            .max()
            .orElse(0);
    if (notable.isEmpty()) {
      return String.format(
          Locale.ROOT,
          "Without the seconds around each clip frame-mAP changes by %+.1f points "
              + "(%.1f with the memory, %.1f clip only): on this input the model gets little from its memory.",
          -gain,
          100 * withMemory.meanAp(),
          100 * clipOnly.meanAp());
    }
    List<String> names = new ArrayList<>();
    for (Row r : notable)
      names.add(String.format(Locale.ROOT, "%s (%+.1f)", r.name(), r.gainPoints()));
    return String.format(
        Locale.ROOT,
        "The memory adds %.1f points of frame-mAP (%.1f against %.1f clip only), "
            + "most on %s: the model reads these classes from the seconds around the clip, which the clip alone does "
            + "not show%s.",
        gain,
        100 * withMemory.meanAp(),
        100 * clipOnly.meanAp(),
        String.join(", ", names),
        notable.size() == rows.size()
            ? ""
            : String.format(
                Locale.ROOT, "; the other classes move by at most %.1f points", others));
  }

  /**
   * The HTML of the section; its chart is written into {@code outDir} and added to {@code images}.
   *
   * @param window the memory window the model served with, e.g. "[t-2, t+2]"
   */
  static String section(
      FrameMapResult withMemory,
      FrameMapResult clipOnly,
      String window,
      Path outDir,
      List<Path> images) {
    List<Row> rows = rows(withMemory, clipOnly);
    StringBuilder h = new StringBuilder("<h2>What the memory adds</h2>\n");
    h.append("<p>The same clips scored twice: with the memory window ")
        .append(HtmlReport.esc(window))
        .append(" and with the window cut to the clip itself ([t, t], no context).</p>\n");
    h.append("<p><b>")
        .append(HtmlReport.esc(sentence(withMemory, clipOnly, rows)))
        .append("</b></p>\n");
    h.append(
        "<table><tr><th>id</th><th>class</th><th>AP with memory</th><th>AP clip only</th><th>memory adds</th>"
            + "<th>ground truth</th></tr>\n");
    for (Row r : rows) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%d</td><td>%s</td><td>%.2f</td><td>%.2f</td><td>%+.2f</td><td>%d</td></tr>\n",
              r.id(),
              HtmlReport.esc(r.name()),
              100 * r.withMemory(),
              100 * r.clipOnly(),
              r.gainPoints(),
              r.groundTruth()));
    }
    h.append(
        String.format(
            Locale.ROOT,
            "<tr><th></th><th>frame-mAP</th><th>%.2f</th><th>%.2f</th><th>%+.2f</th><th></th></tr>\n",
            100 * withMemory.meanAp(),
            100 * clipOnly.meanAp(),
            100 * (withMemory.meanAp() - clipOnly.meanAp())));
    h.append("</table>\n");
    Path png = outDir.resolve(CHART);
    chart(rows, window, png);
    images.add(png);
    h.append("<p><img src=\"")
        .append(CHART)
        .append("\" alt=\"AP per class with and without memory\"></p>\n");
    return h.toString();
  }

  private static void chart(List<Row> rows, String window, Path png) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(760)
            .height(380)
            .title("AP per class: memory window or clip only")
            .xAxisTitle("class")
            .yAxisTitle("AP (points)")
            .build();
    chart.getStyler().setAvailableSpaceFill(0.8).setOverlapped(false);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    List<String> names = rows.stream().map(Row::name).toList();
    if (names.isEmpty()) {
      names = List.of("no class with AP");
    }
    chart.addSeries(
        "with memory " + window,
        names,
        rows.isEmpty() ? List.of(0.0) : rows.stream().map(r -> 100 * r.withMemory()).toList());
    chart.addSeries(
        "clip only [t, t]",
        names,
        rows.isEmpty() ? List.of(0.0) : rows.stream().map(r -> 100 * r.clipOnly()).toList());
    try {
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }
}
