package io.cmstream.ava.report;

import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.ava.eval.PrCurve;
import io.cmstream.common.format.LabelMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts (XChart): PR curves, action timeline, latency. */
final class ReportCharts {
  private ReportCharts() {}

  static void prCurves(FrameMapResult result, Path png) {
    XYChart chart =
        new XYChartBuilder()
            .width(760)
            .height(520)
            .title("Precision / recall per class")
            .xAxisTitle("recall")
            .yAxisTitle("precision")
            .build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.02);
    chart.getStyler().setMarkerSize(0);
    int drawn = 0;
    for (FrameMapResult.ClassAp c : result.perClass()) {
      PrCurve curve = result.curve(c.id());
      if (!c.hasAp() || curve.size() == 0) {
        continue;
      }
      XYSeries s =
          chart.addSeries(
              String.format(java.util.Locale.ROOT, "%s (AP %.2f)", c.name(), c.ap()),
              curve.recall(),
              curve.precision());
      s.setMarker(SeriesMarkers.NONE);
      drawn++;
    }
    if (drawn == 0) {
      chart.addSeries(
          "no class with ground truth and detections", new double[] {0}, new double[] {0});
    }
    save(chart, png);
  }

  /**
   * One row per class, one column per second: a dot, in the person track's colour (the same colours
   * and P<n> labels as the annotated video, listed in a legend below), where the person's score for
   * the class is at least the threshold. Drawn directly (a grid of named rows reads better than a
   * numeric axis).
   */
  static void timeline(List<TimelinePoint> points, LabelMap labels, Path png, String title) {
    int[] ids = labels.ids();
    int minSecond = points.stream().mapToInt(TimelinePoint::second).min().orElse(0);
    int maxSecond = points.stream().mapToInt(TimelinePoint::second).max().orElse(0);
    int seconds = maxSecond - minSecond + 1;
    int left = 170;
    int top = 40;
    int rowH = 28;
    int colW = Math.max(8, Math.min(28, 700 / Math.max(1, seconds)));
    int width = Math.max(left + seconds * colW + 20, 480);
    int[] tracks = points.stream().mapToInt(TimelinePoint::person).distinct().sorted().toArray();
    int legendW = 58;
    int perRow = Math.max(1, (width - 20) / legendW);
    int legendRows = (tracks.length + perRow - 1) / perRow;
    int legendTop = top + rowH * ids.length + 44;
    int height = legendTop + (tracks.length == 0 ? 0 : 18 * legendRows + 8);
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(
          java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(java.awt.Color.BLACK);
      g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 14));
      g.drawString(title, 10, 22);
      g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
      java.util.Map<Integer, Integer> row = new java.util.HashMap<>();
      for (int i = 0; i < ids.length; i++) {
        row.put(ids[i], i);
        int y = top + i * rowH;
        g.setColor(i % 2 == 0 ? new java.awt.Color(0xF4F4F4) : java.awt.Color.WHITE);
        g.fillRect(left, y, seconds * colW, rowH);
        g.setColor(java.awt.Color.DARK_GRAY);
        g.drawString(labels.name(ids[i]), 8, y + rowH / 2 + 5);
      }
      int step = Math.max(1, (int) Math.ceil(40.0 / colW));
      for (int s = 0; s < seconds; s += step) {
        int x = left + s * colW + colW / 2;
        g.setColor(new java.awt.Color(0xDDDDDD));
        g.drawLine(x, top, x, top + rowH * ids.length);
        g.setColor(java.awt.Color.DARK_GRAY);
        g.drawString(String.valueOf(minSecond + s), x - 6, top + rowH * ids.length + 16);
      }
      g.drawString("second", left + seconds * colW / 2 - 20, top + rowH * ids.length + 32);
      int dot = Math.max(5, Math.min(10, colW - 2));
      for (TimelinePoint p : points) {
        Integer r = row.get(p.actionId());
        if (r == null) {
          continue;
        }
        int slot = Math.floorMod(p.person(), 3) - 1; // people of one second side by side vertically
        int x = left + (p.second() - minSecond) * colW + colW / 2 - dot / 2;
        int y = top + r * rowH + rowH / 2 - dot / 2 + slot * (rowH / 4);
        g.setColor(io.cmstream.ava.viz.FrameAnnotator.color(p.person()));
        g.fillOval(x, y, dot, dot);
      }
      // legend: the person tracks' colours and labels, as on the annotated video's boxes
      for (int i = 0; i < tracks.length; i++) {
        int x = 10 + (i % perRow) * legendW;
        int y = legendTop + (i / perRow) * 18;
        g.setColor(io.cmstream.ava.viz.FrameAnnotator.color(tracks[i]));
        g.fillOval(x, y + 2, 10, 10);
        g.setColor(java.awt.Color.DARK_GRAY);
        g.drawString(io.cmstream.ava.viz.PersonTracks.label(tracks[i]), x + 14, y + 12);
      }
      if (points.isEmpty()) {
        g.setColor(java.awt.Color.GRAY);
        g.drawString("no action above the threshold", left + 10, top + rowH / 2 + 5);
      }
    } finally {
      g.dispose();
    }
    try {
      javax.imageio.ImageIO.write(img, "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }

  static void latency(double[] latencyMs, Path png) {
    double[] x = new double[latencyMs.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(760)
            .height(320)
            .title("End-to-end latency per detection")
            .xAxisTitle("detection #")
            .yAxisTitle("ms")
            .build();
    chart.getStyler().setMarkerSize(3).setLegendVisible(false);
    chart.addSeries("latency", x, latencyMs);
    save(chart, png);
  }

  /** p50 and p95 of each latency stage, in path order, as bars. */
  static void latencyStages(List<String> stages, List<Double> p50, List<Double> p95, Path png) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(760)
            .height(360)
            .title("Where the latency goes (per stage)")
            .xAxisTitle("stage")
            .yAxisTitle("ms")
            .build();
    chart.getStyler().setXAxisLabelRotation(20);
    chart.addSeries("p50", stages, p50);
    chart.addSeries("p95", stages, p95);
    try {
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }

  private static void save(XYChart chart, Path png) {
    try {
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }

  /** A person's action at a second. */
  record TimelinePoint(int person, int second, int actionId) {}
}
