package io.cmstream.detector.state;

import io.cmstream.runtime.MemoryContribution;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the detector's own state stores. These bytes live only in the stores and their
 * changelog topics (internal to the application), so a compact fixed binary layout is used instead
 * of the Avro topic contracts.
 */
public final class StateSerdes {

  private StateSerdes() {}

  public static Serde<StreamSecond> streamSecond() {
    return of(StreamSecond::toBytes, StreamSecond::fromBytes);
  }

  public static Serde<MemoryContribution> contribution() {
    return of(MemoryContribution::toBytes, MemoryContribution::fromBytes);
  }

  public static Serde<PendingClip> pendingClip() {
    return of(PendingClip::toBytes, PendingClip::fromBytes);
  }

  public static Serde<StreamProgress> progress() {
    return of(
        p ->
            ByteBuffer.allocate(13)
                .putInt(p.maxSeen())
                .putInt(p.lowestStored())
                .put((byte) (p.ended() ? 1 : 0))
                .putInt(p.sentFrom())
                .array(),
        b -> {
          ByteBuffer buf = ByteBuffer.wrap(b);
          // sentFrom was appended later: a value stored before has 9 bytes
          return new StreamProgress(
              buf.getInt(),
              buf.getInt(),
              buf.get() == 1,
              buf.remaining() >= 4 ? buf.getInt() : Integer.MIN_VALUE);
        });
  }

  private static <T> Serde<T> of(Function<T, byte[]> write, Function<byte[], T> read) {
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : write.apply(value),
        (topic, bytes) -> bytes == null ? null : read.apply(bytes));
  }
}
