package io.cmstream.streamer.video;

/** Paces a file like a camera: waits until the wall clock reaches each frame's media time. */
public final class Pacer {
  private long startNanos = -1;
  private long startWallMs;
  private long originMicros;

  /**
   * Blocks until media time {@code mediaMicros} is due on the wall clock; returns that due time
   * (epoch ms): when a camera would have captured the frame, even if the reader is behind.
   */
  public long await(long mediaMicros) throws InterruptedException {
    long now = System.nanoTime();
    if (startNanos < 0) {
      startNanos = now;
      startWallMs = System.currentTimeMillis();
      originMicros = mediaMicros;
      return startWallMs;
    }
    long due = startNanos + (mediaMicros - originMicros) * 1000L;
    long wait = due - now;
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
    }
    return startWallMs + (mediaMicros - originMicros) / 1000L;
  }
}
