package io.cmstream.streamer.video;

/** Paces a file like a camera: waits until the wall clock reaches each frame's media time. */
public final class Pacer {
  private long startNanos = -1;
  private long originMicros;

  /** Blocks until media time {@code mediaMicros} is due on the wall clock. */
  public void await(long mediaMicros) throws InterruptedException {
    long now = System.nanoTime();
    if (startNanos < 0) {
      startNanos = now;
      originMicros = mediaMicros;
      return;
    }
    long due = startNanos + (mediaMicros - originMicros) * 1000L;
    long wait = due - now;
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
    }
  }
}
