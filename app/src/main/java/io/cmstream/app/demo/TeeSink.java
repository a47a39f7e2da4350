package io.cmstream.app.demo;

import io.cmstream.streamer.clip.Clip;
import io.cmstream.streamer.publish.ClipSink;

/**
 * Publishes each clip and also records it, so the run can be replayed offline ({@code detector
 * replay}) and compared with what the service emitted.
 */
final class TeeSink implements ClipSink {
  private final ClipSink primary;
  private final ClipSink copy;

  TeeSink(ClipSink primary, ClipSink copy) {
    this.primary = primary;
    this.copy = copy;
  }

  @Override
  public long accept(Clip clip) {
    long bytes = primary.accept(clip);
    if (bytes > 0) {
      copy.accept(clip);
    }
    return bytes;
  }

  @Override
  public int skipped() {
    return primary.skipped();
  }

  @Override
  public int written() {
    return primary.written();
  }

  @Override
  public void close() {
    try {
      primary.close();
    } finally {
      copy.close();
    }
  }
}
