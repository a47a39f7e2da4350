package io.cmstream.trainer.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * Writes a run's {@code metrics.json} ({"epochs": [...]}), {@code metrics.csv} and the training
 * curve {@code training-curve.png} (loss and validation mAP against epoch); as a listener of the
 * training loop, after every epoch.
 */
public final class MetricsWriter implements TrainingListener {
  public static final String JSON_FILE = "metrics.json";
  public static final String CSV_FILE = "metrics.csv";
  public static final String PNG_FILE = "training-curve.png";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path runDir;

  /** A listener that rewrites the run folder's metrics after every epoch. */
  public MetricsWriter(Path runDir) {
    this.runDir = runDir;
  }

  @Override
  public void onEpochEnd(EpochEnd end) {
    write(runDir, end.history());
  }

  /** The epochs recorded in a run folder (empty when none). */
  public static List<EpochMetrics> read(Path runDir) {
    Path f = runDir.resolve(JSON_FILE);
    if (!Files.isRegularFile(f)) {
      return new ArrayList<>();
    }
    try {
      Map<String, List<EpochMetrics>> m = JSON.readValue(f.toFile(), new TypeReference<>() {});
      return new ArrayList<>(m.getOrDefault("epochs", List.of()));
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable " + f + ": " + e.getMessage());
    }
  }

  public static void write(Path runDir, List<EpochMetrics> epochs) {
    try {
      Files.createDirectories(runDir);
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("epochs", epochs);
      JSON.writeValue(runDir.resolve(JSON_FILE).toFile(), sanitize(root));
      StringBuilder csv =
          new StringBuilder("epoch,train_loss,first_loss,lr,clips_per_s,step_s,val_map,seconds\n");
      for (EpochMetrics e : epochs) {
        csv.append(
            String.format(
                Locale.ROOT,
                "%d,%.6f,%.6f,%.6g,%.3f,%.4f,%s,%.1f%n",
                e.epoch(),
                e.trainLoss(),
                e.firstLoss(),
                e.lr(),
                e.clipsPerSecond(),
                e.stepSeconds(),
                Double.isNaN(e.valMap()) ? "" : String.format(Locale.ROOT, "%.4f", e.valMap()),
                e.seconds()));
      }
      Files.writeString(runDir.resolve(CSV_FILE), csv);
      curve(runDir.resolve(PNG_FILE), epochs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics to " + runDir, e);
    }
  }

  private static Object sanitize(Map<String, Object> root) throws IOException {
    // NaN is not JSON: write null for "not validated"
    String s = JSON.writeValueAsString(root).replace("\"NaN\"", "null").replace("NaN", "null");
    return JSON.readTree(s);
  }

  private static void curve(Path png, List<EpochMetrics> epochs) throws IOException {
    if (epochs.isEmpty()) {
      return;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title("training curve")
            .xAxisTitle("epoch")
            .yAxisTitle("loss (x100) / val mAP (points)")
            .build();
    List<Double> x = new ArrayList<>();
    List<Double> loss = new ArrayList<>();
    List<Double> mapX = new ArrayList<>();
    List<Double> map = new ArrayList<>();
    for (EpochMetrics e : epochs) {
      x.add((double) e.epoch());
      loss.add(e.trainLoss() * 100);
      if (!Double.isNaN(e.valMap())) {
        mapX.add((double) e.epoch());
        map.add(e.valMap());
      }
    }
    chart
        .addSeries("train loss x100", x, loss)
        .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    if (!map.isEmpty()) {
      chart.addSeries("val frame-mAP", mapX, map);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
