package io.cmstream.streamer.publish;

import io.cmstream.streamer.clip.Clip;
import java.util.function.Consumer;

/**
 * Holds back the latest clip until the next one arrives, so that the last clip of the stream
 * (known only when the input ends or the user stops it) goes out with {@code endOfStream} set.
 */
public final class EndOfStreamMarker implements Consumer<Clip> {
  private final Consumer<Clip> downstream;
  private Clip held;

  public EndOfStreamMarker(Consumer<Clip> downstream) {
    this.downstream = downstream;
  }

  @Override
  public void accept(Clip clip) {
    if (held != null) {
      downstream.accept(held);
    }
    held = clip;
  }

  /** Sends the held clip as the end of the stream; returns false when there was none. */
  public boolean finish() {
    if (held == null) {
      return false;
    }
    downstream.accept(held.asEndOfStream());
    held = null;
    return true;
  }
}
