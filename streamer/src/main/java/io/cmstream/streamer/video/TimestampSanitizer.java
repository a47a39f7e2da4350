package io.cmstream.streamer.video;

/**
 * Turns container timestamps into media times from the start of the video that strictly increase:
 * the first frame is time 0; a timestamp that does not increase (AVI/H.264 decoders flushing their
 * last frames with timestamp 0, broken streams) is replaced by the previous time plus one nominal
 * frame duration.
 */
public final class TimestampSanitizer {
  private final long nominalFrameMicros;
  private long origin = Long.MIN_VALUE;
  private long last = -1;
  private long lastDuration;
  private int repaired;

  /**
   * @param nominalFps the container's frame rate, or 0 when unknown
   */
  public TimestampSanitizer(double nominalFps) {
    this.nominalFrameMicros = nominalFps > 0 ? Math.round(1_000_000.0 / nominalFps) : 0;
    this.lastDuration = nominalFrameMicros > 0 ? nominalFrameMicros : 33_333;
  }

  /** Media time (microseconds from the first frame) of a frame with raw timestamp {@code raw}. */
  public long mediaMicros(long raw) {
    if (origin == Long.MIN_VALUE) {
      origin = raw;
      last = 0;
      return 0;
    }
    long t = raw - origin;
    if (t <= last) {
      t = last + (nominalFrameMicros > 0 ? nominalFrameMicros : lastDuration);
      repaired++;
    } else {
      lastDuration = t - last;
    }
    last = t;
    return t;
  }

  /**
   * End time of the last frame: its media time plus the duration of the frame before it (or the
   * nominal frame duration for a one-frame video).
   */
  public long endMicros() {
    return last < 0 ? 0 : last + lastDuration;
  }

  /** Last media time handed out (-1 before the first frame). */
  public long lastMicros() {
    return last;
  }

  /** How many timestamps had to be repaired. */
  public int repaired() {
    return repaired;
  }
}
