package io.cmstream.streamer;

import java.time.Duration;

/**
 * How a lost network stream is reopened: up to {@code maxAttempts} tries in a row (0 = never),
 * waiting {@code initialBackoff}, doubled after each failure up to {@code maxBackoff}.
 */
public record ReconnectPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public ReconnectPolicy {
    if (maxAttempts < 0) throw new IllegalArgumentException("reconnect attempts must be >= 0");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoff must be >= 0 and max backoff >= initial backoff");
    }
  }

  public static ReconnectPolicy defaults() {
    return new ReconnectPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /** Wait before attempt {@code attempt} (1-based). */
  public Duration backoff(int attempt) {
    long ms = initialBackoff.toMillis();
    for (int i = 1; i < attempt && ms < maxBackoff.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }
}
