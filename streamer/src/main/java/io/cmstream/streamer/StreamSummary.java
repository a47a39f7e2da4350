package io.cmstream.streamer;

import java.time.Duration;
import java.util.List;

/**
 * What a streaming run did.
 *
 * @param clips clips written (the last one flagged end-of-stream)
 * @param skipped clips skipped by the sink (too big), each logged
 * @param bytes bytes written
 * @param mediaSeconds seconds of video covered
 * @param gaps seconds missing because a network stream was lost
 * @param repairedTimestamps decoded frames whose timestamps had to be repaired
 * @param stopped true when the user stopped the stream before its end
 * @param lost why a network stream ended for good (reconnecting failed), or null
 */
public record StreamSummary(
    int clips,
    int skipped,
    long bytes,
    double mediaSeconds,
    List<Gap> gaps,
    int repairedTimestamps,
    Duration elapsed,
    boolean stopped,
    String lost) {

  /** Seconds {@code [fromSecond, toSecond]} that have no clip because the stream was lost. */
  public record Gap(int fromSecond, int toSecond) {}

  /** Seconds of video per second of wall time. */
  public double speed() {
    double s = elapsed.toNanos() / 1e9;
    return s > 0 ? mediaSeconds / s : 0;
  }
}
