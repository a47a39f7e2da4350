package io.cmstream.runtime;

import io.cmstream.common.window.WindowSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The memory of one second: sum of the window's contributions / sum of their weights (C'xC',
 * row-major), and the seconds that fed it, ascending.
 */
public record Memory(float[] matrix, List<Integer> seconds) {

  public Memory {
    seconds = List.copyOf(seconds);
  }

  /**
   * The memory of {@code second} from contributions by second (only the seconds of {@code window}
   * around it are read, in ascending order, so the sum does not depend on the map's order).
   *
   * @throws IllegalArgumentException if no second of the window is present, or sizes differ
   */
  public static Memory at(
      WindowSpan window, int second, Map<Integer, MemoryContribution> bySecond) {
    NavigableMap<Integer, MemoryContribution> sorted =
        bySecond instanceof NavigableMap<Integer, MemoryContribution> n
            ? n
            : new TreeMap<>(bySecond);
    List<Integer> seconds = new ArrayList<>();
    MemoryWindow sum = null;
    for (Map.Entry<Integer, MemoryContribution> e :
        sorted.subMap(window.first(second), true, window.last(second), true).entrySet()) {
      MemoryContribution c = e.getValue();
      if (sum == null) {
        sum = new MemoryWindow(c.memoryChannels());
      }
      sum.add(c.matrix(), c.weight());
      seconds.add(e.getKey());
    }
    if (sum == null) {
      throw new IllegalArgumentException(
          "no contribution in the window ["
              + window.first(second)
              + ", "
              + window.last(second)
              + "] of second "
              + second);
    }
    return new Memory(sum.memory(), seconds);
  }
}
