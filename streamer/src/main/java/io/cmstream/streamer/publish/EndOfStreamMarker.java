package io.cmstream.streamer.publish;

import io.cmstream.streamer.clip.Clip;
import java.util.function.Consumer;

/**
 * Passes every clip on at once and remembers the latest; when the stream ends (end of input or stop
 * request) it sends that clip again with {@code endOfStream} set. Holding each clip back until the
 * next one would cost a second of latency on every clip; the repeat costs one record per stream,
 * which the detector takes as the end of a second it already has.
 */
public final class EndOfStreamMarker implements Consumer<Clip> {
  private final Consumer<Clip> downstream;
  private Clip last;

  public EndOfStreamMarker(Consumer<Clip> downstream) {
    this.downstream = downstream;
  }

  @Override
  public void accept(Clip clip) {
    downstream.accept(clip);
    last = clip;
  }

  /** Sends the last clip again as the end of the stream; returns false when there was none. */
  public boolean finish() {
    if (last == null) {
      return false;
    }
    downstream.accept(last.asEndOfStream());
    last = null;
    return true;
  }
}
