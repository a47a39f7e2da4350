package io.cmstream.detector;

import java.time.Duration;
import java.util.Objects;

/**
 * How clips wait for the encoder across the streams of a task: they are queued (in a changelogged
 * store) and encoded together when {@code size} clips are queued or the oldest has waited {@code
 * maxWait} of wall-clock time. Size 1 encodes every clip as it arrives, without a queue (the
 * topology has no queue store then).
 *
 * @param size clips per batch, >= 1
 * @param maxWait longest wall-clock wait of a queued clip, > 0 (only used when size > 1)
 */
public record EncodeBatch(int size, Duration maxWait) {

  /** One clip at a time: no queue. */
  public static final EncodeBatch OFF = new EncodeBatch(1, Duration.ofMillis(50));

  public EncodeBatch {
    Objects.requireNonNull(maxWait, "maxWait");
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + size);
    }
    if (maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("batch wait must be > 0, got " + maxWait);
    }
  }

  /** How often the wall clock is checked for a due batch: a tenth of the wait, at least 1 ms. */
  public Duration checkInterval() {
    return Duration.ofMillis(Math.max(1, maxWait.toMillis() / 10));
  }

  /** Whether clips are queued at all. */
  public boolean queued() {
    return size > 1;
  }
}
