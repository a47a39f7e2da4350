package io.cmstream.trainer.data;

import io.cmstream.ava.clip.KeyframeWindow;
import io.cmstream.ava.format.FrameKey;
import io.cmstream.common.window.WindowSpan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Windowed clip sampling. Each epoch tiles every video's seconds into consecutive blocks of N
 * seconds with a random phase (so every labelled second carries its loss about once per epoch at
 * any N: equal budgets in labelled clips), keeps the blocks holding a labelled second and shuffles
 * them across videos.
 *
 * <ul>
 *   <li>{@link WindowSampling#SLIDING} (default): an example is the block plus a margin of (N-1)/2
 *       seconds before and N-1-(N-1)/2 after (clipped to the video), so up to 2N-1 clips; only the
 *       block's labelled seconds carry loss, and every clip's memory reads its centred window
 *       [t-(N-1)/2, t+N-1-(N-1)/2] inside the example: in training every labelled second sees
 *       exactly the memory that serving (and {@code trainer eval}) gives it.
 *   <li>{@link WindowSampling#TILED}: the paper's windows: an example is the block, every clip's
 *       memory reads the whole block (edge clips see context on one side only).
 * </ul>
 *
 * Batch reduction: examples are packed whole into batches of at most B clips (at least one example
 * per batch), so batch-norm statistics mix clips of different videos.
 */
public final class WindowSampler {
  private final AvaSplit split;
  private final int clips;
  private final double fps;
  private final WindowSampling sampling;
  private final Map<String, Set<Integer>> labelled = new HashMap<>();

  public WindowSampler(AvaSplit split, int clips, double fps) {
    this(split, clips, fps, WindowSampling.SLIDING);
  }

  public WindowSampler(AvaSplit split, int clips, double fps, WindowSampling sampling) {
    if (clips < 1) {
      throw new IllegalArgumentException("--clips must be >= 1, got " + clips);
    }
    this.split = split;
    this.clips = clips;
    this.fps = fps;
    this.sampling = sampling;
    for (FrameKey k : split.labelledKeys()) {
      labelled.computeIfAbsent(k.videoId(), v -> new HashSet<>()).add(k.timestamp());
    }
  }

  public int clips() {
    return clips;
  }

  public WindowSampling sampling() {
    return sampling;
  }

  /** The examples of one epoch, shuffled. */
  public List<TrainingWindow> epoch(Random random) {
    List<TrainingWindow> out = new ArrayList<>();
    WindowSpan window = WindowSpan.centred(clips);
    int back = window.back();
    int ahead = window.ahead();
    for (String vid : split.videos().keySet()) {
      Set<Integer> lab = labelled.getOrDefault(vid, Set.of());
      if (lab.isEmpty()) {
        continue;
      }
      int[] range = split.secondRange(vid, fps);
      int start = range[0] - random.nextInt(clips);
      for (; start <= range[1]; start += clips) {
        int first = start;
        int last = start + clips - 1;
        IntPredicate carriesLoss = s -> s >= first && s <= last && lab.contains(s);
        boolean any = false;
        for (int s = Math.max(first, range[0]); s <= Math.min(last, range[1]); s++) {
          any |= lab.contains(s);
        }
        if (!any) {
          continue;
        }
        if (sampling == WindowSampling.TILED) {
          out.add(
              new TrainingWindow(
                  vid,
                  KeyframeWindow.around(
                      first + back, back, ahead, range[0], range[1], carriesLoss)));
        } else {
          List<KeyframeWindow.Slot> slots =
              KeyframeWindow.around(
                  first, back, clips - 1 + ahead, range[0], range[1], carriesLoss);
          out.add(new TrainingWindow(vid, slots, back, ahead));
        }
      }
    }
    Collections.shuffle(out, random);
    return out;
  }

  /**
   * Packs examples, in order, into batches of at most {@code batchClips} clips (an example is never
   * split; an example larger than the batch gets a batch of its own).
   */
  public List<List<TrainingWindow>> batches(List<TrainingWindow> windows, int batchClips) {
    List<List<TrainingWindow>> out = new ArrayList<>();
    List<TrainingWindow> current = new ArrayList<>();
    int size = 0;
    for (TrainingWindow w : windows) {
      if (!current.isEmpty() && size + w.size() > batchClips) {
        out.add(List.copyOf(current));
        current.clear();
        size = 0;
      }
      current.add(w);
      size += w.size();
    }
    if (!current.isEmpty()) {
      out.add(List.copyOf(current));
    }
    return out;
  }
}
