package io.cmstream.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.cmstream.trainer.data.AvaSplit;
import io.cmstream.trainer.data.BatchAssembler;
import io.cmstream.trainer.data.ClipBatch;
import io.cmstream.trainer.data.TrainingWindow;
import io.cmstream.trainer.data.WindowSampler;
import io.cmstream.trainer.data.WindowSampling;
import io.cmstream.trainer.model.CmDetector;
import io.cmstream.trainer.model.CollaborativeMemory;
import io.cmstream.trainer.model.MemoryWindows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the memory and the head see of a split's labelled clips when the backbone is frozen,
 * computed once (one random training crop per clip, batch norm in inference mode): per clip the
 * second moments S = mean over positions of x x^T [n, C, C] and the mean feature [n, C]; per box
 * its RoIAlign bins [R, C, S*S] (before the spatial max pool), its targets [R, K] and its clip (a
 * one-hot selection [R, n]). Clips are in video then second order; {@code spans} are the runs of
 * consecutive seconds. Everything the memory computes is linear in these statistics (docs/DESIGN.md
 * section 2), so memory and head train on them exactly as on the clips.
 */
public record ClipStatistics(
    NDArray moments,
    NDArray means,
    NDArray roiBins,
    NDArray targets,
    NDArray boxSelection,
    int[] spans,
    float[] targetValues,
    int numClasses) {

  /** Clip statistics above this size are refused (the warm-up is meant for small C). */
  public static final long MAX_BYTES = 4L << 30;

  /**
   * How each labelled clip is seen when its statistics are cached: the whole frame as evaluation
   * and serving see it, and/or random training crops (scale jitter, crop, flip), each view a full
   * copy of the split's clips whose memory windows stay within the view.
   */
  public record Views(boolean fullFrame, int crops) {
    /** One random training crop per clip. */
    public static final Views ONE_CROP = new Views(false, 1);

    /** The whole frame of every clip, as evaluation and serving see it. */
    public static final Views FULL_FRAME = new Views(true, 0);

    public Views {
      if (crops < 0 || (!fullFrame && crops == 0)) {
        throw new IllegalArgumentException(
            "at least one view per clip (full frame or crops), got " + crops + " crops");
      }
    }

    public int count() {
      return crops + (fullFrame ? 1 : 0);
    }

    private static final Pattern CROPS = Pattern.compile("(\\d*)crops?");

    /**
     * Parses {@code full}, {@code crop}, {@code 2crops}, {@code full+crop}, {@code full+3crops}.
     */
    public static Views parse(String text) {
      boolean full = false;
      int crops = 0;
      for (String part : text.trim().toLowerCase(Locale.ROOT).split("\\s*\\+\\s*")) {
        Matcher m = CROPS.matcher(part);
        if (part.equals("full") && !full) {
          full = true;
        } else if (m.matches()) {
          crops += m.group(1).isEmpty() ? 1 : Integer.parseInt(m.group(1));
        } else {
          throw new IllegalArgumentException(
              "views must be like full, crop, 2crops or full+crop; got '" + text + "'");
        }
      }
      return new Views(full, crops);
    }

    @Override
    public String toString() {
      String c = crops == 0 ? "" : crops == 1 ? "crop" : crops + "crops";
      return fullFrame ? (c.isEmpty() ? "full" : "full+" + c) : c;
    }
  }

  /**
   * Statistics of every labelled clip of {@code split} in each of the views, with {@code model}'s
   * frozen backbone.
   */
  public static ClipStatistics of(
      CmDetector model,
      AvaSplit split,
      BatchAssembler clips,
      double fps,
      long seed,
      Views views,
      NDManager manager) {
    List<TrainingWindow> all =
        new ArrayList<>(
            new WindowSampler(split, 1, fps, WindowSampling.TILED).epoch(new Random(seed)));
    all.sort(
        Comparator.comparing(TrainingWindow::videoId)
            .thenComparingInt(w -> w.slots().get(0).second()));
    long c = model.config().channels();
    long bytes = (long) views.count() * all.size() * c * c * 4;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "the memory warm-up would cache %.1f GB of clip statistics (%d clips x %d views, C = %d); "
                  + "it is meant for small models: train without it",
              bytes / 1e9,
              all.size(),
              views.count(),
              c));
    }
    ParameterStore frozen = new ParameterStore(manager, false);
    NDList moments = new NDList();
    NDList means = new NDList();
    NDList bins = new NDList();
    NDList targets = new NDList();
    List<Integer> boxClip = new ArrayList<>();
    List<Integer> spans = new ArrayList<>();
    List<Integer> viewSpans = spans(all);
    Random rnd = new Random(seed);
    int clipCount = 0;
    for (int view = 0; view < views.count(); view++) {
      boolean full = views.fullFrame() && view == 0;
      for (int i = 0; i < all.size(); i += 16) {
        List<TrainingWindow> part = all.subList(i, Math.min(all.size(), i + 16));
        ClipBatch b = full ? clips.fullFrame(part) : clips.training(part, rnd);
        try (NDManager bm =
            manager.newSubManager()) { // the batch's activations go, its statistics stay
          NDList in = b.inputs(bm);
          NDList kept =
              statistics(model, model.features(frozen, in.get(0), false), in.get(1), b.boxClip());
          kept.attach(manager);
          moments.add(kept.get(0));
          means.add(kept.get(1));
          bins.add(kept.get(2));
        }
        targets.add(b.labels(manager));
        for (int k : b.boxClip()) {
          boxClip.add(clipCount + k);
        }
        clipCount += part.size();
      }
      spans.addAll(viewSpans);
    }
    NDArray t = NDArrays.concat(targets);
    return new ClipStatistics(
        NDArrays.concat(moments),
        NDArrays.concat(means),
        NDArrays.concat(bins),
        t,
        CollaborativeMemory.boxSelection(
            manager, boxClip.stream().mapToInt(Integer::intValue).toArray(), clipCount),
        spans.stream().mapToInt(Integer::intValue).toArray(),
        t.toFloatArray(),
        (int) t.getShape().get(1));
  }

  /** Runs of consecutive seconds of the same video in windows sorted by video and second. */
  private static List<Integer> spans(List<TrainingWindow> sorted) {
    List<Integer> spans = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      TrainingWindow w = sorted.get(i);
      TrainingWindow prev = i == 0 ? null : sorted.get(i - 1);
      if (prev != null
          && prev.videoId().equals(w.videoId())
          && prev.slots().get(0).second() + 1 == w.slots().get(0).second()) {
        spans.set(spans.size() - 1, spans.get(spans.size() - 1) + 1);
      } else {
        spans.add(1);
      }
    }
    return spans;
  }

  /**
   * Statistics of feature maps x [B, C, T', H', W'] forming consecutive runs of seconds {@code
   * spans}, with boxes [R, 4] of clips {@code boxClip} and their targets [R, K].
   */
  static ClipStatistics ofFeatures(
      CmDetector model, NDArray x, NDArray boxes, int[] boxClip, NDArray targets, int[] spans) {
    NDList s = statistics(model, x, boxes, boxClip);
    NDArray selection =
        CollaborativeMemory.boxSelection(x.getManager(), boxClip, (int) x.getShape().get(0));
    return new ClipStatistics(
        s.get(0),
        s.get(1),
        s.get(2),
        targets,
        selection,
        spans.clone(),
        targets.toFloatArray(),
        (int) targets.getShape().get(1));
  }

  /**
   * Per clip second moments [B, C, C] and mean feature [B, C]; per box RoIAlign bins [R, C, S*S].
   */
  private static NDList statistics(CmDetector model, NDArray x, NDArray boxes, int[] boxClip) {
    NDArray xf = x.reshape(x.getShape().get(0), x.getShape().get(1), -1);
    return new NDList(
        xf.matMul(xf.transpose(0, 2, 1)).div(xf.getShape().get(2)),
        xf.mean(new int[] {2}),
        model.head().roiBins(x, boxes, boxClip));
  }

  /** Number of clips. */
  public int clips() {
    return (int) means.getShape().get(0);
  }

  /** Number of boxes. */
  public int boxes() {
    return (int) targets.getShape().get(0);
  }

  /**
   * The same clips with the memory window {@code [t-back, t+ahead]} of every clip (clipped to its
   * run of seconds) applied: each clip's window mean of the moments and of the mean features.
   */
  public Windowed windowed(int back, int ahead, NDManager manager) {
    NDArray a = MemoryWindows.sliding(spans, back, ahead).averaging(manager, 1f);
    Shape s = moments.getShape();
    NDArray m = a.matMul(moments.reshape(s.get(0), -1)).reshape(s);
    return new Windowed(this, m, a.matMul(means));
  }

  /**
   * Clip statistics with their memory windows applied.
   *
   * @param memoryMoments each clip's window mean of the second moments [n, C, C]
   * @param memoryMeans each clip's window mean of the mean features [n, C]
   */
  public record Windowed(ClipStatistics clips, NDArray memoryMoments, NDArray memoryMeans) {}
}
