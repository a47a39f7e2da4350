package io.cmstream.ava.video;

/**
 * The rule of resampling decoded frames to a fixed rate by timestamp, one rule for the frame
 * extraction ({@link FrameResampler}) and the streamer's live resampler: output frame {@code k} is
 * shown at {@code k / fps} and is the last decoded frame whose presentation time is {@code <= k /
 * fps}, times within {@link #TOLERANCE_MICROS} (1 ms) counting as equal. Times are microseconds
 * from the start of the video.
 */
public record FrameInstants(double fps) {
  public static final long TOLERANCE_MICROS = 1000;

  public FrameInstants {
    if (!(fps > 0)) throw new IllegalArgumentException("fps must be > 0, got " + fps);
  }

  /** Time of output frame {@code k}, in microseconds. */
  public double micros(int k) {
    return k * 1_000_000.0 / fps;
  }

  /**
   * Whether output frame {@code k} comes before a decoded frame shown from {@code timeMicros} on,
   * so that it shows an earlier frame.
   */
  public boolean before(int k, double timeMicros) {
    return micros(k) < timeMicros - TOLERANCE_MICROS;
  }

  /**
   * Whether output frame {@code k} comes no later than {@code timeMicros}: a decoded frame shown
   * from then on is on screen at its instant (until a later frame replaces it).
   */
  public boolean notAfter(int k, double timeMicros) {
    return micros(k) <= timeMicros + TOLERANCE_MICROS;
  }
}
