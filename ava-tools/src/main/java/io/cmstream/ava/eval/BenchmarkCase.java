package io.cmstream.ava.eval;

import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes an evaluation case shaped like AVA v2.2 val (videos of 897 keyframes, 1-4 people per
 * keyframe with 1-3 actions each, classes of skewed frequency, exactly {@code detectionsPerKey}
 * detection rows per keyframe spread over jittered true boxes and a false box, about 1% of
 * keyframes excluded), for benchmarking the evaluator.
 */
public final class BenchmarkCase {
  /** The files of a case. */
  public record Files4(Path labelMap, Path groundTruth, Path detections, Path exclusions) {}

  /** What was written. */
  public record Stats(
      int keyframes, int classes, long groundTruthRows, long detectionRows, long bytes) {}

  private final int keyframes;
  private final int classes;
  private final int detectionsPerKey;
  private final long seed;

  public BenchmarkCase(int keyframes, int classes, int detectionsPerKey, long seed) {
    if (keyframes < 1 || classes < 1 || detectionsPerKey < 1) {
      throw new IllegalArgumentException(
          "keyframes, classes and detections per keyframe must be >= 1");
    }
    this.keyframes = keyframes;
    this.classes = classes;
    this.detectionsPerKey = detectionsPerKey;
    this.seed = seed;
  }

  public Files4 files(Path dir) {
    return new Files4(
        dir.resolve("labelmap.pbtxt"),
        dir.resolve("groundtruth.csv"),
        dir.resolve("detections.csv"),
        dir.resolve("exclusions.csv"));
  }

  public Stats write(Path dir) {
    Files4 f = files(dir);
    List<LabelMap.Label> labels = new ArrayList<>();
    for (int c = 1; c <= classes; c++) {
      labels.add(
          new LabelMap.Label(
              c, "action " + c, c <= classes / 6 ? "PERSON_MOVEMENT" : "PERSON_INTERACTION"));
    }
    try {
      Files.createDirectories(dir);
      LabelMapPbtxt.write(f.labelMap(), new LabelMap(labels), LabelMap.Dialect.LABEL);
      SplittableRandom rnd = new SplittableRandom(seed);
      long gtRows = 0;
      long detRows = 0;
      StringBuilder line = new StringBuilder(96);
      try (BufferedWriter gt = Files.newBufferedWriter(f.groundTruth(), StandardCharsets.US_ASCII);
          BufferedWriter det = Files.newBufferedWriter(f.detections(), StandardCharsets.US_ASCII);
          BufferedWriter ex = Files.newBufferedWriter(f.exclusions(), StandardCharsets.US_ASCII)) {
        double[][] boxes = new double[5][4];
        int[][] actions = new int[5][3];
        int[] nActions = new int[5];
        for (int k = 0; k < keyframes; k++) {
          String video = String.format("vid%08d", k / 897);
          int ts = 902 + k % 897;
          if (rnd.nextInt(100) == 0) {
            ex.write(video + "," + String.format("%04d", ts) + "\n");
          }
          int people = 1 + rnd.nextInt(4);
          for (int p = 0; p < people; p++) {
            double w = 0.1 + 0.3 * rnd.nextDouble();
            double h = 0.3 + 0.6 * rnd.nextDouble();
            double x = rnd.nextDouble() * (1 - w);
            double y = rnd.nextDouble() * (1 - h);
            boxes[p][0] = round3(x);
            boxes[p][1] = round3(y);
            boxes[p][2] = round3(x + w);
            boxes[p][3] = round3(y + h);
            nActions[p] = 1 + rnd.nextInt(3);
            for (int a = 0; a < nActions[p]; a++) {
              actions[p][a] = skewedClass(rnd);
              line.setLength(0);
              line.append(video).append(',').append(ts).append(',');
              box(line, boxes[p])
                  .append(',')
                  .append(actions[p][a])
                  .append(',')
                  .append(p)
                  .append('\n');
              gt.append(line);
              gtRows++;
            }
          }
          // a false box beside the people
          boxes[people][0] = round3(rnd.nextDouble() * 0.7);
          boxes[people][1] = round3(rnd.nextDouble() * 0.5);
          boxes[people][2] = round3(boxes[people][0] + 0.05 + 0.25 * rnd.nextDouble());
          boxes[people][3] = round3(boxes[people][1] + 0.1 + 0.4 * rnd.nextDouble());
          nActions[people] = 0;
          int nBoxes = people + 1;
          for (int i = 0; i < detectionsPerKey; i++) {
            int b = i % nBoxes;
            double[] bx = boxes[b];
            double j = 0.04;
            double[] d = {
              clamp(bx[0] + j * (rnd.nextDouble() - 0.5)),
              clamp(bx[1] + j * (rnd.nextDouble() - 0.5)),
              clamp(bx[2] + j * (rnd.nextDouble() - 0.5)),
              clamp(bx[3] + j * (rnd.nextDouble() - 0.5))
            };
            int cls;
            double score;
            if (i < nBoxes * 2 && b < people && i / nBoxes < nActions[b]) {
              cls = actions[b][i / nBoxes];
              score = 0.3 + 0.7 * rnd.nextDouble();
            } else {
              cls = 1 + rnd.nextInt(classes);
              score = 0.6 * rnd.nextDouble();
            }
            line.setLength(0);
            line.append(video).append(',').append(ts).append(',');
            fixed(line, d[0], 3).append(',');
            fixed(line, d[1], 3).append(',');
            fixed(line, d[2], 3).append(',');
            fixed(line, d[3], 3).append(',').append(cls).append(',');
            fixed(line, score, 6).append('\n');
            det.append(line);
            detRows++;
          }
        }
      }
      long bytes = Files.size(f.groundTruth()) + Files.size(f.detections());
      return new Stats(keyframes, classes, gtRows, detRows, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the benchmark case to " + dir + ": " + e.getMessage(), e);
    }
  }

  private int skewedClass(SplittableRandom rnd) {
    // long-tailed like AVA: class c drawn with weight ~ 1 / c
    double u = rnd.nextDouble();
    int c = (int) Math.floor(Math.exp(u * Math.log(classes + 1)));
    return Math.max(1, Math.min(classes, c));
  }

  private static double round3(double v) {
    return Math.round(clamp(v) * 1000) / 1000.0;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static StringBuilder box(StringBuilder b, double[] box) {
    fixed(b, box[0], 3).append(',');
    fixed(b, box[1], 3).append(',');
    fixed(b, box[2], 3).append(',');
    return fixed(b, box[3], 3);
  }

  /** A value in [0, 1] with a fixed number of decimals, without String.format's cost. */
  static StringBuilder fixed(StringBuilder b, double v, int decimals) {
    long scale = 1;
    for (int i = 0; i < decimals; i++) {
      scale *= 10;
    }
    long q = Math.round(v * scale);
    b.append(q / scale).append('.');
    String frac = Long.toString(q % scale);
    for (int i = frac.length(); i < decimals; i++) {
      b.append('0');
    }
    return b.append(frac);
  }
}
