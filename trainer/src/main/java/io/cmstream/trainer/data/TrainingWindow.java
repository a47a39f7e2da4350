package io.cmstream.trainer.data;

import io.cmstream.ava.clip.KeyframeWindow;
import java.util.List;

/**
 * The consecutive keyframe seconds of one training example. Labelled slots carry their own boxes
 * and loss; the others only feed the memory. Each clip's memory reads the example's seconds {@code
 * [t-memoryBack, t+memoryAhead]}: a whole (tiled) window has both at least its size - 1.
 *
 * @param videoId video of the example
 * @param slots its seconds, consecutive
 * @param memoryBack seconds before each clip its memory reads
 * @param memoryAhead seconds after each clip its memory reads
 */
public record TrainingWindow(
    String videoId, List<KeyframeWindow.Slot> slots, int memoryBack, int memoryAhead) {
  public TrainingWindow {
    slots = List.copyOf(slots);
    if (slots.isEmpty()) {
      throw new IllegalArgumentException("a training window needs at least one second");
    }
    if (memoryBack < 0 || memoryAhead < 0) {
      throw new IllegalArgumentException("memory back/ahead must be >= 0");
    }
  }

  /** A whole window: every clip's memory reads all its seconds. */
  public TrainingWindow(String videoId, List<KeyframeWindow.Slot> slots) {
    this(videoId, slots, slots.size() - 1, slots.size() - 1);
  }

  public int size() {
    return slots.size();
  }

  public long labelledClips() {
    return slots.stream().filter(KeyframeWindow.Slot::labelled).count();
  }
}
