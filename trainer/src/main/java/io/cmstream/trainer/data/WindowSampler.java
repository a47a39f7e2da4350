package io.cmstream.trainer.data;

import io.cmstream.ava.clip.KeyframeWindow;
import io.cmstream.ava.format.FrameKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Windowed clip sampling: each epoch tiles every video's seconds into consecutive windows of N
 * seconds with a random phase (so every labelled second is trained about once per epoch at any
 * N: equal budgets in clips), keeps the windows holding at least one labelled second, clips them
 * to the video (a border window has fewer clips) and shuffles them across videos. Batch
 * reduction: a batch of B clips takes max(1, B/N) windows, so batch-norm statistics mix clips of
 * different videos.
 */
public final class WindowSampler {
  private final AvaSplit split;
  private final int clips;
  private final double fps;
  private final Map<String, Set<Integer>> labelled = new HashMap<>();

  public WindowSampler(AvaSplit split, int clips, double fps) {
    if (clips < 1) {
      throw new IllegalArgumentException("--clips must be >= 1, got " + clips);
    }
    this.split = split;
    this.clips = clips;
    this.fps = fps;
    for (FrameKey k : split.labelledKeys()) {
      labelled.computeIfAbsent(k.videoId(), v -> new HashSet<>()).add(k.timestamp());
    }
  }

  public int clips() {
    return clips;
  }

  /** The windows of one epoch, shuffled. */
  public List<TrainingWindow> epoch(Random random) {
    List<TrainingWindow> out = new ArrayList<>();
    int back = (clips - 1) / 2;
    int ahead = clips - 1 - back;
    for (String vid : split.videos().keySet()) {
      Set<Integer> lab = labelled.getOrDefault(vid, Set.of());
      if (lab.isEmpty()) {
        continue;
      }
      int[] range = split.secondRange(vid, fps);
      int start = range[0] - random.nextInt(clips);
      for (; start <= range[1]; start += clips) {
        List<KeyframeWindow.Slot> slots =
            KeyframeWindow.around(start + back, back, ahead, range[0], range[1], lab::contains);
        if (slots.stream().anyMatch(KeyframeWindow.Slot::labelled)) {
          out.add(new TrainingWindow(vid, slots));
        }
      }
    }
    Collections.shuffle(out, random);
    return out;
  }

  /** Number of batches for a number of windows. */
  public int batchCount(int windows, int batchClips) {
    int per = Math.max(1, batchClips / clips);
    return (windows + per - 1) / per;
  }

  /** Groups windows into batches of max(1, batchClips / N) windows. */
  public List<List<TrainingWindow>> batches(List<TrainingWindow> windows, int batchClips) {
    int per = Math.max(1, batchClips / clips);
    List<List<TrainingWindow>> out = new ArrayList<>();
    for (int i = 0; i < windows.size(); i += per) {
      out.add(List.copyOf(windows.subList(i, Math.min(windows.size(), i + per))));
    }
    return out;
  }
}
