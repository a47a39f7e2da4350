package io.cmstream.detector.state;

/**
 * Which clip seconds the detector accepts.
 *
 * <p>Range: seconds count from the start of the stream (the streamer) or from the epoch (a camera
 * that stamps wall-clock seconds); both are {@code >= 0}, so a negative second means a broken clock
 * or encoder and is refused. The top day of the int range is refused too, so that no window, grace
 * or jump ever reaches the end of the int range (the window arithmetic is overflow-safe
 * regardless). {@link #MAX} as epoch seconds is 2038-01-18.
 *
 * <p>Forward jump: a clip more than {@code maxForwardJump} seconds ahead of its stream's newest
 * accepted second is refused and does not move the stream; otherwise one wild second (say 10^9)
 * would make every later second of the stream late. A stream that really resumes after a longer gap
 * continues under a new stream id.
 *
 * @param maxForwardJump the largest accepted {@code second - newest second} of a stream
 */
public record SecondPolicy(int maxForwardJump) {

  /** The lowest accepted second. */
  public static final int MIN = 0;

  /** The highest accepted second: one day (86 400 s) below {@link Integer#MAX_VALUE}. */
  public static final int MAX = Integer.MAX_VALUE - 86_400;

  public SecondPolicy {
    if (maxForwardJump < 1) {
      throw new IllegalArgumentException(
          "the maximum forward jump must be >= 1 s, got " + maxForwardJump);
    }
  }

  /** Why {@code second} is outside the accepted range, or null when it is inside. */
  public static String rangeProblem(int second) {
    if (second < MIN) {
      return "second "
          + second
          + " is negative (seconds count from the stream's start or the epoch)";
    }
    if (second > MAX) {
      return "second " + second + " is above " + MAX + " (the top day of the int range is refused)";
    }
    return null;
  }

  /** Whether {@code second} is too far ahead of the stream's newest accepted second. */
  public boolean isJump(int second, int maxSeen) {
    return (long) second - maxSeen > maxForwardJump;
  }
}
