package io.cmstream.common.window;

/**
 * The memory window, the one rule for training, export, evaluation and serving: the memory of
 * second t sums the contributions of the seconds {@code [t - back, t + ahead]} that exist (start or
 * end of the video, gaps are skipped; the sum itself is runtime's {@code Memory.at}). A model
 * trained with N clips per example reads the centred window {@link #centred(int)}; serving may read
 * fewer seconds ahead ({@link #withAhead}). Arithmetic on seconds is overflow-safe: a window
 * reaching past the int range ends there.
 */
public record WindowSpan(int back, int ahead) {

  public WindowSpan {
    if (back < 0 || ahead < 0) {
      throw new IllegalArgumentException(
          "window back and ahead must be >= 0, got " + back + ", " + ahead);
    }
  }

  /**
   * The centred window of N clips: {@code back = (N-1)/2}, {@code ahead = N-1-back} (N = 5: t-2 ..
   * t+2; N = 4: t-1 .. t+2).
   */
  public static WindowSpan centred(int clips) {
    if (clips < 1) {
      throw new IllegalArgumentException("a window needs >= 1 clip, got " + clips);
    }
    int back = (clips - 1) / 2;
    return new WindowSpan(back, clips - 1 - back);
  }

  /**
   * This (training) window with fewer seconds ahead: lower latency, 0 is causal.
   *
   * @throws IllegalArgumentException if {@code ahead} is negative or more than this window's ahead
   */
  public WindowSpan withAhead(int ahead) {
    if (!allowsAhead(ahead)) {
      throw new IllegalArgumentException(
          "ahead must be in [0, "
              + this.ahead
              + "] (the model was trained with ahead "
              + this.ahead
              + "), got "
              + ahead);
    }
    return new WindowSpan(back, ahead);
  }

  /** Whether serving may read {@code ahead} seconds ahead with a model trained on this window. */
  public boolean allowsAhead(int ahead) {
    return ahead >= 0 && ahead <= this.ahead;
  }

  /** Number of seconds of a whole window, {@code back + 1 + ahead}. */
  public long size() {
    return (long) back + 1 + ahead;
  }

  /**
   * First second of the window of {@code second} (Integer.MIN_VALUE at the end of the int range).
   */
  public int first(int second) {
    return (int) Math.max(Integer.MIN_VALUE, (long) second - back);
  }

  /**
   * Last second of the window of {@code second} (Integer.MAX_VALUE at the end of the int range).
   */
  public int last(int second) {
    return (int) Math.min(Integer.MAX_VALUE, (long) second + ahead);
  }

  /** Whether {@code s} is in the window of {@code second}. */
  public boolean contains(int second, int s) {
    return s >= first(second) && s <= last(second);
  }
}
