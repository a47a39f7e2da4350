package io.cmstream.detector.topology;

import io.cmstream.schemas.DeadLetter;
import io.cmstream.schemas.DeadLetterBound;
import io.cmstream.schemas.DlqReason;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The original clip record as it was read (bytes, headers, where from), carried along the topology
 * so that any step can dead-letter it unchanged, and the wall-clock time the detector took it
 * ({@code receivedMs}, epoch ms; -1 when unknown).
 */
public record RawInput(
    byte[] key,
    byte[] value,
    Headers headers,
    String topic,
    int partition,
    long offset,
    long timestamp,
    long receivedMs) {

  public RawInput(
      byte[] key,
      byte[] value,
      Headers headers,
      String topic,
      int partition,
      long offset,
      long timestamp) {
    this(key, value, headers, topic, partition, offset, timestamp, -1);
  }

  public static RawInput of(Record<byte[], byte[]> record, RecordMetadata metadata) {
    return new RawInput(
        record.key(),
        record.value(),
        record.headers(),
        metadata == null ? "" : metadata.topic(),
        metadata == null ? -1 : metadata.partition(),
        metadata == null ? -1 : metadata.offset(),
        record.timestamp(),
        System.currentTimeMillis());
  }

  /**
   * The dead-letter record: original key, value and headers plus the {@link DeadLetter} headers,
   * cut to fit the dead-letter topic by {@code bound}.
   */
  public Record<byte[], byte[]> deadLetter(
      DlqReason reason, String detail, long nowMs, String where, DeadLetterBound bound) {
    Headers out = new RecordHeaders();
    if (headers != null) {
      for (Header h : headers) {
        if (!h.key().startsWith("cm.dlq.")) {
          out.add(h);
        }
      }
    }
    String line = detail == null ? "" : detail.replace('\n', ' ');
    for (Header h :
        new DeadLetter(reason, line, topic, partition, offset, timestamp, nowMs, where)
            .toHeaders()) {
      out.add(h);
    }
    DeadLetterBound.Letter letter = bound.fit(key, value, out);
    // a record without a timestamp (-1) keeps the failure time: a Streams record needs one >= 0
    return new Record<>(
        letter.key(), letter.value(), timestamp < 0 ? nowMs : timestamp, letter.headers());
  }
}
