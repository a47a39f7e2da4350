package io.cmstream.streamer.publish;

import io.cmstream.streamer.clip.Clip;

/** Where clip records go: a Kafka topic or a recording file. */
public interface ClipSink extends AutoCloseable {

  /**
   * Writes one clip; returns the bytes written, or 0 when the clip was skipped (logged). A clip
   * flagged end-of-stream repeats the stream's last clip ({@link EndOfStreamMarker}).
   */
  long accept(Clip clip);

  /** Clips skipped so far (too big, rejected), each already logged. Final after {@link #close}. */
  int skipped();

  /**
   * Clips written (for Kafka: acknowledged by the broker) so far, not counting the end-of-stream
   * repeat. Final after {@link #close}.
   */
  int written();

  /** Flushes and closes; throws when records could not be delivered. */
  @Override
  void close();
}
