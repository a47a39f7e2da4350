package io.cmstream.trainer.data;

import io.cmstream.ava.clip.KeyframeWindow;
import java.util.List;

/** The consecutive keyframe seconds of one training example (N clips one second apart). */
public record TrainingWindow(String videoId, List<KeyframeWindow.Slot> slots) {
  public TrainingWindow {
    slots = List.copyOf(slots);
  }

  public int size() {
    return slots.size();
  }

  public long labelledClips() {
    return slots.stream().filter(KeyframeWindow.Slot::labelled).count();
  }
}
