package io.cmstream.ava.report;

import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.ava.eval.PrCurve;
import io.cmstream.ava.format.LabelMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts (XChart): PR curves, action timeline, latency. */
final class ReportCharts {
  private ReportCharts() {}

  static void prCurves(FrameMapResult result, Path png) {
    XYChart chart = new XYChartBuilder().width(760).height(520).title("Precision / recall per class").xAxisTitle("recall").yAxisTitle("precision").build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.02);
    chart.getStyler().setMarkerSize(0);
    int drawn = 0;
    for (FrameMapResult.ClassAp c : result.perClass()) {
      PrCurve curve = result.curve(c.id());
      if (!c.hasAp() || curve.size() == 0) {
        continue;
      }
      XYSeries s = chart.addSeries(String.format(java.util.Locale.ROOT, "%s (AP %.2f)", c.name(), c.ap()), curve.recall(), curve.precision());
      s.setMarker(SeriesMarkers.NONE);
      drawn++;
    }
    if (drawn == 0) {
      chart.addSeries("no class with ground truth and detections", new double[] {0}, new double[] {0});
    }
    save(chart, png);
  }

  /**
   * One row per class, one marker per (person, second) where the person's score for the class
   * is at least {@code threshold}; one series (colour) per person track.
   */
  static void timeline(List<TimelinePoint> points, LabelMap labels, int people, Path png, String title) {
    XYChart chart = new XYChartBuilder().width(900).height(Math.max(260, 40 + 26 * labels.size())).title(title).xAxisTitle("second").yAxisTitle("class").build();
    chart.getStyler().setMarkerSize(7).setLegendVisible(true);
    chart.getStyler().setYAxisDecimalPattern("#");
    int[] ids = labels.ids();
    java.util.Map<Integer, Integer> row = new java.util.HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      row.put(ids[i], i + 1);
    }
    java.util.Map<Integer, String> rowNames = new java.util.HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      rowNames.put(i + 1, labels.name(ids[i]));
    }
    // XChart cannot lay out an empty label: ticks between class rows get a blank
    chart.setCustomYAxisTickLabelsFormatter(v -> Math.abs(v - Math.round(v)) < 1e-6 ? rowNames.getOrDefault((int) Math.round(v), " ") : " ");
    int drawn = 0;
    for (int p = 0; p < people; p++) {
      final int person = p;
      List<TimelinePoint> mine = points.stream().filter(t -> t.person() == person).toList();
      if (mine.isEmpty()) {
        continue;
      }
      double[] x = new double[mine.size()];
      double[] y = new double[mine.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = mine.get(i).second();
        // small offset per person so overlapping markers stay visible
        y[i] = row.getOrDefault(mine.get(i).actionId(), 0) + (person % 5 - 2) * 0.08;
      }
      XYSeries s = chart.addSeries("person " + (person + 1), x, y);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      drawn++;
    }
    if (drawn == 0) {
      chart.addSeries("no action above the threshold", new double[] {0}, new double[] {0});
    }
    save(chart, png);
  }

  static void latency(double[] latencyMs, Path png) {
    double[] x = new double[latencyMs.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    XYChart chart = new XYChartBuilder().width(760).height(320).title("End-to-end latency per detection").xAxisTitle("detection #").yAxisTitle("ms").build();
    chart.getStyler().setMarkerSize(3).setLegendVisible(false);
    chart.addSeries("latency", x, latencyMs);
    save(chart, png);
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
