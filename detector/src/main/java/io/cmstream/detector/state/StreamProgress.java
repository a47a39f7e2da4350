package io.cmstream.detector.state;

/**
 * Per-stream progress kept in the progress store.
 *
 * @param maxSeen newest second whose clip was accepted
 * @param lowestStored lowest second that may still have a stored contribution (pruning cursor)
 * @param ended an end-of-stream clip was accepted: every second is settled, later clips of this
 *     stream are late
 * @param sentFrom the writer sends in order from this second on (its latest {@code
 *     sentFromSecond}): a missing second below it never comes; {@link Integer#MIN_VALUE} when no
 *     clip said so
 */
public record StreamProgress(int maxSeen, int lowestStored, boolean ended, int sentFrom) {

  public StreamProgress(int maxSeen, int lowestStored, boolean ended) {
    this(maxSeen, lowestStored, ended, Integer.MIN_VALUE);
  }

  /** The progress of a stream whose first accepted clip is {@code second}. */
  public static StreamProgress start(int second) {
    return new StreamProgress(second, second, false);
  }

  public StreamProgress seen(int second) {
    return new StreamProgress(
        Math.max(maxSeen, second), Math.min(lowestStored, second), ended, sentFrom);
  }

  public StreamProgress end() {
    return new StreamProgress(maxSeen, lowestStored, true, sentFrom);
  }

  /**
   * The writer's run of in-order clips started at {@code second} (a later run only moves it up).
   */
  public StreamProgress sentFrom(int second) {
    return new StreamProgress(maxSeen, lowestStored, ended, Math.max(sentFrom, second));
  }

  public StreamProgress prunedBelow(int second) {
    return new StreamProgress(maxSeen, Math.max(lowestStored, second), ended, sentFrom);
  }
}
