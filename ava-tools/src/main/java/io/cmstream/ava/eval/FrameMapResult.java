package io.cmstream.ava.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Frame-mAP of one evaluation: the mean AP over classes that have ground truth, and per label-map
 * class its AP (a fraction in [0, 1]; NaN when the class has no ground truth).
 */
public record FrameMapResult(
    double meanAp, List<ClassAp> perClass, Counts counts, Map<Integer, PrCurve> curves) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One class: id, name, AP (NaN = no ground truth), ground-truth instances and scored detections.
   */
  public record ClassAp(int id, String name, double ap, long groundTruth, long detections) {
    public boolean hasAp() {
      return !Double.isNaN(ap);
    }
  }

  /** What was read and kept. */
  public record Counts(
      long groundTruthRows,
      long detectionRows,
      int groundTruthKeys,
      int detectionKeys,
      int excludedKeys,
      long scoredDetections) {}

  public FrameMapResult {
    perClass = List.copyOf(perClass);
    curves = Map.copyOf(curves);
  }

  /** A result without precision/recall curves. */
  public FrameMapResult(double meanAp, List<ClassAp> perClass, Counts counts) {
    this(meanAp, perClass, counts, Map.of());
  }

  /** The PR curve of a class, when the evaluator was asked for curves (empty otherwise). */
  public PrCurve curve(int id) {
    return curves.getOrDefault(id, PrCurve.EMPTY);
  }

  public ClassAp classAp(int id) {
    return perClass.stream().filter(c -> c.id() == id).findFirst().orElseThrow();
  }

  /**
   * The JSON of {@code ava-tools eval --json}: {@code {"mAP": m, "per_class": {"<id>": {"name": n,
   * "ap": a or null}}}} (fractions; null where a class has no ground truth).
   */
  public record Json(
      @JsonProperty("mAP") Double map,
      @JsonProperty("per_class") Map<String, ClassJson> perClass) {}

  /** One class of {@link Json}. */
  public record ClassJson(String name, Double ap) {}

  /** This result as {@link Json}. */
  public Json json() {
    Map<String, ClassJson> classes = new LinkedHashMap<>();
    for (ClassAp c : perClass) {
      classes.put(Integer.toString(c.id()), new ClassJson(c.name(), c.hasAp() ? c.ap() : null));
    }
    return new Json(Double.isNaN(meanAp) ? null : meanAp, classes);
  }

  /** {@link #json()} as a tree of maps, lists and numbers. */
  public Map<String, Object> toJsonTree() {
    return JSON.convertValue(json(), new TypeReference<Map<String, Object>>() {});
  }

  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void writeJson(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, toJson() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The per-class table with AP in points (percent), and the mean. */
  public String table() {
    int w = Math.max(10, perClass.stream().mapToInt(c -> c.name().length()).max().orElse(10));
    StringBuilder b = new StringBuilder();
    String fmt = "%4s  %-" + w + "s  %8s  %8s  %10s%n";
    b.append(String.format(Locale.ROOT, fmt, "id", "class", "AP", "GT", "detections"));
    for (ClassAp c : perClass) {
      b.append(
          String.format(
              Locale.ROOT,
              fmt,
              c.id(),
              c.name(),
              c.hasAp() ? String.format(Locale.ROOT, "%.2f", 100 * c.ap()) : "-",
              c.groundTruth(),
              c.detections()));
    }
    long withAp = perClass.stream().filter(ClassAp::hasAp).count();
    b.append(
        String.format(
            Locale.ROOT,
            "frame-mAP@0.5IoU = %s (%d of %d classes have ground truth)%n",
            Double.isNaN(meanAp) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * meanAp),
            withAp,
            perClass.size()));
    return b.toString();
  }
}
