package io.cmstream.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Why, where and when a record could not be processed: the headers of a dead-letter record (its key
 * and value are the original bytes). Header values are UTF-8 strings.
 *
 * @param reason the rule that failed
 * @param detail one human-readable line
 * @param topic source topic of the original record
 * @param partition source partition
 * @param offset source offset
 * @param recordTimestampMs Kafka timestamp of the original record
 * @param failedAtMs wall-clock time of the failure, epoch ms
 * @param where the application/processor that gave up (e.g. "cm-detector/validate")
 */
public record DeadLetter(
    DlqReason reason,
    String detail,
    String topic,
    int partition,
    long offset,
    long recordTimestampMs,
    long failedAtMs,
    String where) {

  public static final String REASON = "cm.dlq.reason";
  public static final String DETAIL = "cm.dlq.detail";
  public static final String TOPIC = "cm.dlq.topic";
  public static final String PARTITION = "cm.dlq.partition";
  public static final String OFFSET = "cm.dlq.offset";
  public static final String RECORD_TIMESTAMP = "cm.dlq.record.timestamp";
  public static final String FAILED_AT = "cm.dlq.failed.at";
  public static final String WHERE = "cm.dlq.where";

  /** Longer details are cut (with "..."): the headers must stay small next to the original. */
  public static final int MAX_DETAIL = 1000;

  public DeadLetter {
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
    if (detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL - 3) + "...";
    }
    topic = topic == null ? "" : topic;
    where = where == null ? "" : where;
  }

  /** The headers to put on the dead-letter record. */
  public Headers toHeaders() {
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, utf8(reason.name()));
    headers.add(DETAIL, utf8(detail));
    headers.add(TOPIC, utf8(topic));
    headers.add(PARTITION, utf8(Integer.toString(partition)));
    headers.add(OFFSET, utf8(Long.toString(offset)));
    headers.add(RECORD_TIMESTAMP, utf8(Long.toString(recordTimestampMs)));
    headers.add(FAILED_AT, utf8(Long.toString(failedAtMs)));
    headers.add(WHERE, utf8(where));
    return headers;
  }

  /**
   * Reads the headers of a dead-letter record back.
   *
   * @throws IllegalArgumentException if a header is missing or malformed
   */
  public static DeadLetter fromHeaders(Headers headers) {
    return new DeadLetter(
        DlqReason.valueOf(text(headers, REASON)),
        text(headers, DETAIL),
        text(headers, TOPIC),
        Integer.parseInt(text(headers, PARTITION)),
        Long.parseLong(text(headers, OFFSET)),
        Long.parseLong(text(headers, RECORD_TIMESTAMP)),
        Long.parseLong(text(headers, FAILED_AT)),
        text(headers, WHERE));
  }

  private static String text(Headers headers, String key) {
    Header header = headers.lastHeader(key);
    if (header == null || header.value() == null) {
      throw new IllegalArgumentException("dead-letter header " + key + " is missing");
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
