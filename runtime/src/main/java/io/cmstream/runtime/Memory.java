package io.cmstream.runtime;

import java.util.List;

/**
 * The memory of one second: sum of the window's contributions / sum of their weights (C'xC',
 * row-major), and the seconds that fed it, ascending.
 */
public record Memory(float[] matrix, List<Integer> seconds) {

  public Memory {
    seconds = List.copyOf(seconds);
  }
}
