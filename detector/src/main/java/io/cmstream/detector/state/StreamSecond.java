package io.cmstream.detector.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A (stream, second) store key. Its bytes sort by stream, then by second ascending (the stream id
 * is length-prefixed, the second is big-endian with the sign bit flipped), so one stream's seconds
 * are one contiguous, ordered key range in RocksDB and in memory stores.
 */
public record StreamSecond(String streamId, int second) {

  public StreamSecond {
    Objects.requireNonNull(streamId, "streamId");
  }

  /** The encoded key. */
  public byte[] toBytes() {
    byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length + 4)
        .putInt(id.length)
        .put(id)
        .putInt(second ^ Integer.MIN_VALUE)
        .array();
  }

  /** Decodes {@link #toBytes()}. */
  public static StreamSecond fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    byte[] id = new byte[buf.getInt()];
    buf.get(id);
    return new StreamSecond(
        new String(id, StandardCharsets.UTF_8), buf.getInt() ^ Integer.MIN_VALUE);
  }

  /** The lowest key of a stream. */
  public static StreamSecond lowest(String streamId) {
    return new StreamSecond(streamId, Integer.MIN_VALUE);
  }

  /** The highest key of a stream. */
  public static StreamSecond highest(String streamId) {
    return new StreamSecond(streamId, Integer.MAX_VALUE);
  }
}
