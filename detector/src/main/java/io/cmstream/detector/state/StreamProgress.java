package io.cmstream.detector.state;

/**
 * Per-stream progress kept in the progress store.
 *
 * @param maxSeen       newest second whose clip was accepted
 * @param lowestStored  lowest second that may still have a stored contribution (pruning cursor)
 * @param ended         an end-of-stream clip was accepted: every second is settled, later
 *                      clips of this stream are late
 */
public record StreamProgress(int maxSeen, int lowestStored, boolean ended) {

  /** The progress of a stream whose first accepted clip is {@code second}. */
  public static StreamProgress start(int second) {
    return new StreamProgress(second, second, false);
  }

  public StreamProgress seen(int second) {
    return new StreamProgress(Math.max(maxSeen, second), Math.min(lowestStored, second), ended);
  }

  public StreamProgress end() {
    return new StreamProgress(maxSeen, lowestStored, true);
  }

  public StreamProgress prunedBelow(int second) {
    return new StreamProgress(maxSeen, Math.max(lowestStored, second), ended);
  }
}
