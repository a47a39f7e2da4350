package io.cmstream.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which seconds feed the memory of second t: [t - back, t + ahead], clipped to the seconds that
 * exist (start or end of the video, gaps). {@link #memoryAt} sums them with {@link MemoryWindow}.
 */
public record WindowSpan(int back, int ahead) {

  public WindowSpan {
    if (back < 0 || ahead < 0) {
      throw new IllegalArgumentException("window back and ahead must be >= 0, got " + back + ", " + ahead);
    }
  }

  /** First second of the window of {@code second} (clamped to the int range, never wrapping). */
  public int first(int second) {
    return (int) Math.max(Integer.MIN_VALUE, (long) second - back);
  }

  /** Last second of the window of {@code second} (clamped to the int range, never wrapping). */
  public int last(int second) {
    return (int) Math.min(Integer.MAX_VALUE, (long) second + ahead);
  }

  /** True when every second the window of {@code second} could use has been seen. */
  public boolean isComplete(int second, int latestSeen) {
    return latestSeen >= last(second);
  }

  /**
   * The memory of {@code second} from contributions by second (only the window's seconds are read).
   *
   * @throws IllegalArgumentException if no second of the window is present, or sizes differ
   */
  public Memory memoryAt(int second, Map<Integer, MemoryContribution> bySecond) {
    List<Integer> seconds = new ArrayList<>();
    MemoryWindow window = null;
    for (long l = first(second); l <= last(second); l++) { // long: l++ past Integer.MAX_VALUE must not wrap
      int s = (int) l;
      MemoryContribution c = bySecond.get(s);
      if (c != null) {
        if (window == null) {
          window = new MemoryWindow(c.memoryChannels());
        }
        window.add(c.matrix(), c.weight());
        seconds.add(s);
      }
    }
    if (window == null) {
      throw new IllegalArgumentException("no contribution in the window [" + first(second) + ", " + last(second)
          + "] of second " + second);
    }
    return new Memory(window.memory(), seconds);
  }
}
