package io.cmstream.detector.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A validated clip waiting in the encode queue: the original record as it was read (so that it is
 * decoded again after a restore, and dead-lettered unchanged) and when it was queued (wall clock).
 * The tensor itself is not stored: it is megabytes, the JPEG record is kilobytes.
 */
record QueuedClip(long queuedAtMs, RawInput raw) {

  static Serde<QueuedClip> serde() {
    return Serdes.serdeFrom(
        (topic, q) -> q == null ? null : q.toBytes(),
        (topic, b) -> b == null ? null : fromBytes(b));
  }

  byte[] toBytes() {
    byte[] topic = raw.topic().getBytes(StandardCharsets.UTF_8);
    List<byte[]> headerKeys = new ArrayList<>();
    List<byte[]> headerValues = new ArrayList<>();
    if (raw.headers() != null) {
      for (Header h : raw.headers()) {
        headerKeys.add(h.key().getBytes(StandardCharsets.UTF_8));
        headerValues.add(h.value());
      }
    }
    int size = 8 + bytesSize(raw.key()) + bytesSize(raw.value()) + 4 + topic.length + 4 + 8 + 8 + 4;
    for (int i = 0; i < headerKeys.size(); i++) {
      size += 4 + headerKeys.get(i).length + bytesSize(headerValues.get(i));
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    buf.putLong(queuedAtMs);
    putBytes(buf, raw.key());
    putBytes(buf, raw.value());
    buf.putInt(topic.length).put(topic);
    buf.putInt(raw.partition()).putLong(raw.offset()).putLong(raw.timestamp());
    buf.putInt(headerKeys.size());
    for (int i = 0; i < headerKeys.size(); i++) {
      buf.putInt(headerKeys.get(i).length).put(headerKeys.get(i));
      putBytes(buf, headerValues.get(i));
    }
    return buf.array();
  }

  static QueuedClip fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    long queuedAt = buf.getLong();
    byte[] key = getBytes(buf);
    byte[] value = getBytes(buf);
    byte[] topic = new byte[buf.getInt()];
    buf.get(topic);
    int partition = buf.getInt();
    long offset = buf.getLong();
    long timestamp = buf.getLong();
    RecordHeaders headers = new RecordHeaders();
    int n = buf.getInt();
    for (int i = 0; i < n; i++) {
      byte[] k = new byte[buf.getInt()];
      buf.get(k);
      headers.add(new RecordHeader(new String(k, StandardCharsets.UTF_8), getBytes(buf)));
    }
    return new QueuedClip(
        queuedAt,
        new RawInput(
            key,
            value,
            headers,
            new String(topic, StandardCharsets.UTF_8),
            partition,
            offset,
            timestamp));
  }

  private static int bytesSize(byte[] b) {
    return 4 + (b == null ? 0 : b.length);
  }

  private static void putBytes(ByteBuffer buf, byte[] b) {
    buf.putInt(b == null ? -1 : b.length);
    if (b != null) {
      buf.put(b);
    }
  }

  private static byte[] getBytes(ByteBuffer buf) {
    int n = buf.getInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    buf.get(b);
    return b;
  }
}
