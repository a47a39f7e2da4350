package io.cmstream.detector.state;

import io.cmstream.common.window.WindowSpan;

/**
 * The rules of the memory window in stream seconds: which seconds feed the memory of a second, when
 * a second's window is complete, when a clip is too late, and which stored seconds can never be
 * needed again.
 *
 * <p>A second {@code s} of a stream is <em>settled</em> when its clip is stored, when it can no
 * longer arrive ({@code s < maxSeen - grace}: such a clip would be late, or {@code s} is below the
 * second the writer's in-order run started from, see {@link StreamProgress#sentFrom()}), or when
 * the stream has ended. The window of {@code t} is complete when every second of {@code [t-back,
 * t+ahead]} is settled. With {@code grace = 0} this is exactly "clips up to {@code t + ahead}
 * seen".
 *
 * @param back seconds before t that feed its memory
 * @param ahead seconds after t that feed its memory (lookahead: latency)
 * @param grace how many seconds behind the newest seen second a clip may still arrive
 */
public record WindowPolicy(int back, int ahead, int grace) {

  public WindowPolicy {
    if (back < 0 || ahead < 0 || grace < 0) {
      throw new IllegalArgumentException(
          "back, ahead and grace must be >= 0, got " + back + ", " + ahead + ", " + grace);
    }
  }

  /** The memory window itself (which seconds feed the memory of t), runtime's one window type. */
  public WindowSpan span() {
    return new WindowSpan(back, ahead);
  }

  /** First second of the memory window of {@code t}. */
  public int first(int t) {
    return span().first(t);
  }

  /** Last second of the memory window of {@code t}. */
  public int last(int t) {
    return span().last(t);
  }

  /** Whether a clip for {@code second} arrives too late, given the newest second seen. */
  public boolean isLate(int second, int maxSeen) {
    return (long) second < (long) maxSeen - grace;
  }

  /**
   * The lowest second whose contribution may still be needed: by a pending second, or by a clip
   * that may still arrive within the grace. Everything below can be deleted.
   */
  public int lowestNeeded(int maxSeen, int minPending) {
    long arrivable = (long) maxSeen - grace;
    return (int) Math.max(Integer.MIN_VALUE, Math.min(arrivable, minPending) - back);
  }

  /** Whether the window of {@code t} is complete, given which seconds are stored. */
  public boolean isComplete(int t, StreamProgress progress, SecondPresence present) {
    if (progress.ended()) {
      return true;
    }
    int last = last(t);
    for (long s = first(t); s <= last; s++) { // long: s++ past Integer.MAX_VALUE must not wrap
      if (!present.has((int) s)
          && !isLate((int) s, progress.maxSeen())
          && s >= progress.sentFrom()) {
        return false;
      }
    }
    return true;
  }

  /** Whether a second's contribution is stored. */
  @FunctionalInterface
  public interface SecondPresence {
    boolean has(int second);
  }
}
