package io.cmstream.ava.eval;

import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.ExclusionsCsv;
import io.cmstream.ava.format.FrameKey;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * AVA frame-mAP (PASCAL VOC AP at IoU 0.5 per action class, averaged over classes with ground
 * truth), computing exactly what the ActivityNet reference evaluator for AVA computes ({@code
 * get_ava_performance.py} with {@code ava/object_detection_evaluation.py}, {@code
 * per_image_evaluation.py} and {@code metrics.py}):
 *
 * <ol>
 *   <li>rows of classes outside the label map are dropped from both files;
 *   <li>per keyframe the 50 highest-scoring detections (across classes) are kept, in the
 *       reference's heap order ({@link ReferenceOrder});
 *   <li>excluded keyframes are then removed from ground truth and detections;
 *   <li>detections with an empty or inverted box ({@code x1 >= x2} or {@code y1 >= y2}) are dropped
 *       (after having taken one of the 50 places);
 *   <li>per class and keyframe, detections by descending score are matched against the one
 *       ground-truth box of highest IoU: a true positive if that IoU is at least 0.5 and the box is
 *       still unmatched, else a false positive; detections of keyframes without ground truth are
 *       false positives;
 *   <li>AP is all-point interpolated ({@link AveragePrecision}); classes without ground truth have
 *       no AP (NaN) and are left out of the mean.
 * </ol>
 *
 * Designed for AVA-size inputs (millions of detection rows): parsing is parallel and by hand, state
 * lives in primitive arrays, matching runs in parallel per keyframe and AP per class.
 */
public final class FrameMapEvaluator {
  /** Detections kept per keyframe, across classes. */
  public static final int TOP_K = 50;

  /** IoU needed for a match. */
  public static final double IOU_THRESHOLD = 0.5;

  private final Options options;
  private final boolean curves;

  /**
   * @param parallelism threads for parsing and matching
   * @param onlyGroundTruthKeys ignore detections of keyframes that do not appear in the ground
   *     truth file at all (the ActivityNet evaluator since 2020, where the ground truth lists empty
   *     keyframes as two-column rows); by default they count as false positives
   */
  public record Options(int parallelism, boolean onlyGroundTruthKeys) {
    public Options {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be >= 1");
      }
    }

    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors(), false);
    }
  }

  public FrameMapEvaluator() {
    this(Options.defaults());
  }

  public FrameMapEvaluator(Options options) {
    this(options, false);
  }

  /**
   * @param curves also keep each class's precision/recall curve (for reports and plots)
   */
  public FrameMapEvaluator(Options options, boolean curves) {
    this.options = options;
    this.curves = curves;
  }

  /** Evaluates files; {@code exclusions} may be null. */
  public FrameMapResult evaluate(
      Path labelMap, Path groundTruth, Path detections, Path exclusions, EvalProgress progress) {
    LabelMap labels = LabelMapPbtxt.read(labelMap);
    ForkJoinPool pool = new ForkJoinPool(options.parallelism());
    try {
      KeyIndex keys = new KeyIndex();
      List<int[]> excluded = new ArrayList<>();
      if (exclusions != null) {
        for (FrameKey k : ExclusionsCsv.read(exclusions)) {
          excluded.add(new int[] {keys.key(keys.video(k.videoId()), k.timestamp())});
        }
      }
      long bytes = size(groundTruth) + size(detections);
      progress.stage("reading", "MB", bytes);
      AvaCsvLoader loader = new AvaCsvLoader(pool, options.parallelism());
      AvaRows gt = loader.load(groundTruth, keys, progress::step);
      AvaRows det = loader.load(detections, keys, progress::step);
      boolean[] isExcluded = new boolean[keys.size()];
      for (int[] k : excluded) {
        isExcluded[k[0]] = true;
      }
      return evaluate(labels, keys, gt, det, isExcluded, pool, progress);
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Evaluates rows held in memory (for a trainer's validation pass, say), with the same rules and
   * the same result as writing them to files in this order and evaluating those.
   */
  public FrameMapResult evaluate(
      LabelMap labels,
      Collection<GroundTruthRow> groundTruth,
      Collection<DetectionRow> detections,
      Collection<FrameKey> exclusions) {
    KeyIndex keys = new KeyIndex();
    List<Integer> excludedIds = new ArrayList<>();
    for (FrameKey k : exclusions) {
      excludedIds.add(keys.key(keys.video(k.videoId()), k.timestamp()));
    }
    AvaRows gt = new AvaRows(groundTruth.size());
    for (GroundTruthRow r : groundTruth) {
      add(gt, keys, r.key(), r.box(), r.actionId(), r.personId());
    }
    AvaRows det = new AvaRows(detections.size());
    for (DetectionRow r : detections) {
      add(det, keys, r.key(), r.box(), r.actionId(), r.score());
    }
    boolean[] isExcluded = new boolean[keys.size()];
    for (int k : excludedIds) {
      isExcluded[k] = true;
    }
    ForkJoinPool pool = new ForkJoinPool(options.parallelism());
    try {
      return evaluate(labels, keys, gt, det, isExcluded, pool, EvalProgress.NONE);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void add(
      AvaRows rows,
      KeyIndex keys,
      FrameKey key,
      io.cmstream.ava.format.Box box,
      int action,
      double score) {
    int i = rows.size;
    rows.ensure(i + 1);
    rows.key[i] = keys.key(keys.video(key.videoId()), key.timestamp());
    rows.x1[i] = box.x1();
    rows.y1[i] = box.y1();
    rows.x2[i] = box.x2();
    rows.y2[i] = box.y2();
    rows.action[i] = action;
    rows.score[i] = score;
    rows.size = i + 1;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private FrameMapResult evaluate(
      LabelMap labels,
      KeyIndex keys,
      AvaRows gt,
      AvaRows det,
      boolean[] excluded,
      ForkJoinPool pool,
      EvalProgress progress) {
    int nKeys = keys.size();
    int maxId = labels.maxId();
    boolean[] counted = new boolean[maxId + 1];
    for (int id : labels.ids()) {
      counted[id] = true;
    }

    // ground truth: per key, whitelisted rows in the reference's order
    boolean[] inGroundTruthFile = new boolean[nKeys];
    for (int i = 0; i < gt.size; i++) {
      inGroundTruthFile[gt.key[i]] = true;
    }
    int[] gtStart = new int[nKeys + 1];
    int[] gtRows = groupByKey(gt, counted, nKeys, gtStart);
    int[] gtCount = new int[nKeys];
    long[] numGt = new long[maxId + 1];
    int gtKeys = 0;
    for (int k = 0; k < nKeys; k++) {
      int n = gtStart[k + 1] - gtStart[k];
      if (n == 0) {
        continue;
      }
      gtCount[k] = ReferenceOrder.select(gt, gtRows, gtStart[k], n, 0);
      if (!excluded[k]) {
        gtKeys++;
        for (int i = gtStart[k]; i < gtStart[k] + gtCount[k]; i++) {
          numGt[gt.action[gtRows[i]]]++;
        }
      }
    }

    // detections: per key, the top 50 in the reference's order; keys in order of first appearance
    int[] detStart = new int[nKeys + 1];
    int[] detRows = groupByKey(det, counted, nKeys, detStart);
    int[] detCount = new int[nKeys];
    int[] keyOrder = keysByFirstRow(detRows, detStart, nKeys);
    progress.stage("matching", "keyframes", keyOrder.length);
    byte[] status = new byte[det.size]; // 0 not scored, 1 false positive, 2 true positive
    AtomicLong done = new AtomicLong();
    submit(
        pool,
        () ->
            IntStream.range(0, keyOrder.length)
                .parallel()
                .forEach(
                    i -> {
                      int k = keyOrder[i];
                      int n =
                          ReferenceOrder.select(
                              det, detRows, detStart[k], detStart[k + 1] - detStart[k], TOP_K);
                      detCount[k] = n;
                      boolean evaluated =
                          !excluded[k] && (!options.onlyGroundTruthKeys() || inGroundTruthFile[k]);
                      if (evaluated) {
                        match(
                            det,
                            detRows,
                            detStart[k],
                            n,
                            gt,
                            gtRows,
                            gtStart[k],
                            gtCount[k],
                            status);
                      }
                      if (done.incrementAndGet() % 1024 == 0) {
                        progress.step(1024);
                      }
                    }));
    progress.step(done.get() % 1024);

    // per class, in the reference's concatenation order
    int[] perClass = new int[maxId + 1];
    for (int k : keyOrder) {
      for (int i = detStart[k], end = detStart[k] + detCount[k]; i < end; i++) {
        int r = detRows[i];
        if (status[r] != 0) {
          perClass[det.action[r]]++;
        }
      }
    }
    double[][] scores = new double[maxId + 1][];
    boolean[][] tp = new boolean[maxId + 1][];
    int[] fill = new int[maxId + 1];
    long scored = 0;
    for (int c = 1; c <= maxId; c++) {
      scores[c] = new double[perClass[c]];
      tp[c] = new boolean[perClass[c]];
      scored += perClass[c];
    }
    for (int k : keyOrder) {
      for (int i = detStart[k], end = detStart[k] + detCount[k]; i < end; i++) {
        int r = detRows[i];
        if (status[r] != 0) {
          int c = det.action[r];
          scores[c][fill[c]] = det.score[r];
          tp[c][fill[c]++] = status[r] == 2;
        }
      }
    }
    double[] ap = new double[maxId + 1];
    submit(
        pool,
        () ->
            IntStream.rangeClosed(1, maxId)
                .parallel()
                .forEach(
                    c ->
                        ap[c] =
                            counted[c]
                                ? AveragePrecision.of(scores[c], tp[c], perClass[c], numGt[c])
                                : Double.NaN));

    List<FrameMapResult.ClassAp> out = new ArrayList<>();
    double sum = 0;
    int withAp = 0;
    for (LabelMap.Label l : labels.sortedById()) {
      out.add(
          new FrameMapResult.ClassAp(
              l.id(), l.name(), ap[l.id()], numGt[l.id()], perClass[l.id()]));
      if (!Double.isNaN(ap[l.id()])) {
        sum += ap[l.id()];
        withAp++;
      }
    }
    int excludedKeys = 0;
    for (boolean e : excluded) {
      excludedKeys += e ? 1 : 0;
    }
    progress.close();
    FrameMapResult.Counts counts =
        new FrameMapResult.Counts(gt.size, det.size, gtKeys, keyOrder.length, excludedKeys, scored);
    java.util.Map<Integer, PrCurve> curveMap = new java.util.HashMap<>();
    if (curves) {
      for (LabelMap.Label l : labels.sortedById()) {
        int c = l.id();
        if (counted[c]) {
          curveMap.put(c, AveragePrecision.curve(scores[c], tp[c], perClass[c], numGt[c], 400));
        }
      }
    }
    return new FrameMapResult(withAp == 0 ? Double.NaN : sum / withAp, out, counts, curveMap);
  }

  private static void submit(ForkJoinPool pool, Runnable r) {
    try {
      pool.submit(r).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Row indices of label-map rows grouped by key, file order kept within a key (counting sort). */
  private static int[] groupByKey(AvaRows rows, boolean[] counted, int nKeys, int[] start) {
    for (int i = 0; i < rows.size; i++) {
      if (countsRow(rows, i, counted)) {
        start[rows.key[i] + 1]++;
      }
    }
    for (int k = 0; k < nKeys; k++) {
      start[k + 1] += start[k];
    }
    int[] pos = Arrays.copyOf(start, nKeys);
    int[] out = new int[start[nKeys]];
    for (int i = 0; i < rows.size; i++) {
      if (countsRow(rows, i, counted)) {
        out[pos[rows.key[i]]++] = i;
      }
    }
    return out;
  }

  private static boolean countsRow(AvaRows rows, int i, boolean[] counted) {
    int a = rows.action[i];
    return !rows.keyOnly[i] && a > 0 && a < counted.length && counted[a];
  }

  /** Keys that have detections, ordered by their first row in the file. */
  private static int[] keysByFirstRow(int[] rows, int[] start, int nKeys) {
    long[] packed = new long[nKeys];
    int n = 0;
    for (int k = 0; k < nKeys; k++) {
      if (start[k + 1] > start[k]) {
        packed[n++] = ((long) rows[start[k]] << 32) | k;
      }
    }
    Arrays.sort(packed, 0, n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) packed[i];
    }
    return out;
  }

  /**
   * Marks the detections of one keyframe (in reference order) true or false positives. Boxes are
   * compared as the reference does, in (y1, x1, y2, x2) order with the same arithmetic, so IoUs are
   * bit-identical; argmax takes the first maximum (and a NaN IoU wins, as in numpy).
   */
  private static void match(
      AvaRows det,
      int[] detRows,
      int detFrom,
      int detN,
      AvaRows gt,
      int[] gtRows,
      int gtFrom,
      int gtN,
      byte[] status) {
    boolean[] matched = gtN == 0 ? null : new boolean[gtN];
    for (int i = detFrom; i < detFrom + detN; i++) {
      int d = detRows[i];
      if (!(det.y1[d] < det.y2[d] && det.x1[d] < det.x2[d])) {
        continue; // invalid box: dropped, neither true nor false positive
      }
      int c = det.action[d];
      double areaD = (det.y2[d] - det.y1[d]) * (det.x2[d] - det.x1[d]);
      int best = -1;
      double bestIou = 0;
      for (int j = 0; j < gtN; j++) {
        int g = gtRows[gtFrom + j];
        if (gt.action[g] != c) {
          continue;
        }
        double h = Math.max(0.0, Math.min(det.y2[d], gt.y2[g]) - Math.max(det.y1[d], gt.y1[g]));
        double w = Math.max(0.0, Math.min(det.x2[d], gt.x2[g]) - Math.max(det.x1[d], gt.x1[g]));
        double inter = h * w;
        double areaG = (gt.y2[g] - gt.y1[g]) * (gt.x2[g] - gt.x1[g]);
        double iou = inter / (areaD + areaG - inter);
        if (best < 0 || (!Double.isNaN(bestIou) && (Double.isNaN(iou) || iou > bestIou))) {
          best = j;
          bestIou = iou;
        }
      }
      if (best >= 0 && bestIou >= IOU_THRESHOLD && !matched[best]) {
        matched[best] = true;
        status[d] = 2;
      } else {
        status[d] = 1;
      }
    }
  }
}
