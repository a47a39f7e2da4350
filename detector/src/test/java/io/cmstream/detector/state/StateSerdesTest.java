package io.cmstream.detector.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.runtime.MemoryContribution;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class StateSerdesTest {

  @Test
  void streamSecondBytesShouldSortByStreamThenSecond() {
    List<StreamSecond> keys =
        List.of(
            new StreamSecond("a", -5),
            new StreamSecond("a", 0),
            new StreamSecond("a", 7),
            new StreamSecond("a", 300),
            new StreamSecond("b", 1),
            new StreamSecond("ab", Integer.MIN_VALUE));
    List<Bytes> bytes = new ArrayList<>();
    keys.forEach(k -> bytes.add(Bytes.wrap(k.toBytes())));
    for (int i = 1; i < bytes.size(); i++) {
      // ids are length-prefixed: one stream's keys never interleave with another's
      assertTrue(
          bytes.get(i - 1).compareTo(bytes.get(i)) < 0, keys.get(i - 1) + " < " + keys.get(i));
    }
    assertTrue(Bytes.wrap(StreamSecond.highest("a").toBytes()).compareTo(bytes.get(4)) < 0);
    assertTrue(Bytes.wrap(StreamSecond.highest("b").toBytes()).compareTo(bytes.get(5)) < 0);
    keys.forEach(k -> assertEquals(k, StreamSecond.fromBytes(k.toBytes())));
  }

  @Test
  void shouldRoundTripStateValues() {
    MemoryContribution c = new MemoryContribution(new float[] {1, 2, 3, 4}, 64);
    MemoryContribution c2 =
        StateSerdes.contribution()
            .deserializer()
            .deserialize("t", StateSerdes.contribution().serializer().serialize("t", c));
    assertArrayEquals(c.matrix(), c2.matrix());
    assertEquals(64f, c2.weight());
    PendingClip p =
        new PendingClip(
            "s",
            9,
            new float[] {0, 0, 1, 1, 0.5f},
            2,
            new float[] {1, 2},
            new float[] {3, 4},
            -1,
            77,
            1.5,
            99);
    PendingClip p2 = PendingClip.fromBytes(p.toBytes());
    assertEquals(p.streamId(), p2.streamId());
    assertArrayEquals(p.roiFeats(), p2.roiFeats());
    assertArrayEquals(p.boxes(), p2.boxes());
    assertEquals(99, p2.pendedAtMs());
    assertEquals(-1, p2.receivedTimeMs(), "no step times given");
    PendingClip timed =
        new PendingClip(
            "s", 9, new float[0], 2, new float[0], new float[] {3, 4}, 5, 77, 1.5, 99, 6, 78, 80);
    PendingClip timed2 = PendingClip.fromBytes(timed.toBytes());
    assertEquals(
        List.of(6L, 78L, 80L),
        List.of(timed2.lastFrameCaptureTimeMs(), timed2.receivedTimeMs(), timed2.encodedTimeMs()));
    // a value stored before the step times were appended still reads, without them
    byte[] older = java.util.Arrays.copyOf(timed.toBytes(), timed.toBytes().length - 24);
    PendingClip old = PendingClip.fromBytes(older);
    assertEquals(99, old.pendedAtMs());
    assertEquals(
        List.of(-1L, -1L, -1L),
        List.of(old.lastFrameCaptureTimeMs(), old.receivedTimeMs(), old.encodedTimeMs()));
    StreamProgress s = new StreamProgress(10, 3, true);
    assertEquals(
        s,
        StateSerdes.progress()
            .deserializer()
            .deserialize("t", StateSerdes.progress().serializer().serialize("t", s)));
  }
}
