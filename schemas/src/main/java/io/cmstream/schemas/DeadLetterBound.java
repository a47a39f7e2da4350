package io.cmstream.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Keeps a dead-letter record within the dead-letter topic's size limit, so that writing it can
 * never fail for its size (under exactly-once a failed write aborts the whole transaction). A
 * record that fits is unchanged. One that does not keeps the dead-letter headers and a prefix of
 * the original value, plus {@link #ORIGINAL_SIZE} and {@link #ORIGINAL_SHA256} of the whole
 * original value; a key longer than {@value #MAX_KEY_WHEN_CUT} bytes is cut the same way ({@link
 * #ORIGINAL_KEY_SIZE}, {@link #ORIGINAL_KEY_SHA256}); if even the original headers do not fit, only
 * the {@code cm.dlq.*} headers stay and {@link #HEADERS_DROPPED} counts the others.
 *
 * @param maxBytes the limit: the smaller of the topic's {@code max.message.bytes} and the
 *     producer's {@code max.request.size}
 */
public record DeadLetterBound(int maxBytes) {

  /** Client property with the limit (the detector sets it from the dead-letter topic's config). */
  public static final String CONFIG = "cm.dlq.max.message.bytes";

  /** Kafka's default {@code max.message.bytes} (topic and broker). */
  public static final int KAFKA_DEFAULT = 1_048_588;

  /** Bytes of the original value, when only a prefix was kept. */
  public static final String ORIGINAL_SIZE = "cm.dlq.original.size";

  /** sha256 (hex) of the whole original value, when only a prefix was kept. */
  public static final String ORIGINAL_SHA256 = "cm.dlq.original.sha256";

  /** Bytes of the original key, when only a prefix was kept. */
  public static final String ORIGINAL_KEY_SIZE = "cm.dlq.original.key.size";

  /** sha256 (hex) of the whole original key, when only a prefix was kept. */
  public static final String ORIGINAL_KEY_SHA256 = "cm.dlq.original.key.sha256";

  /** How many original (non-{@code cm.dlq.*}) headers were left out. */
  public static final String HEADERS_DROPPED = "cm.dlq.original.headers.dropped";

  /** Keys longer than this are cut when the record does not fit. */
  public static final int MAX_KEY_WHEN_CUT = 1024;

  /** The smallest accepted limit (room for the dead-letter headers and a cut key). */
  public static final int MIN_BYTES = 16 * 1024;

  /**
   * A record batch's header (61 bytes) plus one record's varint fields at their widest, rounded up.
   */
  private static final int RECORD_OVERHEAD = 128;

  /** Two varint lengths of a header, at their widest. */
  private static final int HEADER_OVERHEAD = 10;

  public DeadLetterBound {
    if (maxBytes < MIN_BYTES) {
      throw new IllegalArgumentException(
          "dead-letter size limit " + maxBytes + " is below " + MIN_BYTES + " bytes");
    }
  }

  /** The limit in {@link #CONFIG} of a client configuration, or {@link #KAFKA_DEFAULT}. */
  public static DeadLetterBound fromConfig(Map<String, ?> configs) {
    Object v = configs.get(CONFIG);
    return new DeadLetterBound(v == null ? KAFKA_DEFAULT : Integer.parseInt(v.toString().trim()));
  }

  /** A dead-letter record's key, value and headers. */
  public record Letter(byte[] key, byte[] value, Headers headers) {}

  /** An upper bound of the bytes a record takes in a batch of its own. */
  public static long sizeOf(byte[] key, byte[] value, Headers headers) {
    long size = RECORD_OVERHEAD + length(key) + length(value);
    for (Header h : headers) {
      size += HEADER_OVERHEAD + h.key().getBytes(StandardCharsets.UTF_8).length + length(h.value());
    }
    return size;
  }

  /** The record unchanged if it fits, else cut as described above. */
  public Letter fit(byte[] key, byte[] value, Headers headers) {
    if (sizeOf(key, value, headers) <= maxBytes) {
      return new Letter(key, value, headers);
    }
    RecordHeaders out = new RecordHeaders();
    headers.forEach(out::add);
    RecordHeaders added = new RecordHeaders();
    byte[] k = key;
    if (key != null && key.length > MAX_KEY_WHEN_CUT) {
      k = Arrays.copyOf(key, MAX_KEY_WHEN_CUT);
      added.add(ORIGINAL_KEY_SIZE, utf8(Integer.toString(key.length)));
      added.add(ORIGINAL_KEY_SHA256, utf8(sha256(key)));
    }
    if (value != null) {
      added.add(ORIGINAL_SIZE, utf8(Integer.toString(value.length)));
      added.add(ORIGINAL_SHA256, utf8(sha256(value)));
    }
    added.forEach(out::add);
    long room = maxBytes - sizeOf(k, null, out);
    if (room < 0) {
      RecordHeaders kept = new RecordHeaders();
      int dropped = 0;
      for (Header h : out) {
        if (h.key().startsWith("cm.dlq.")) {
          kept.add(h);
        } else {
          dropped++;
        }
      }
      kept.add(HEADERS_DROPPED, utf8(Integer.toString(dropped)));
      out = kept;
      room = maxBytes - sizeOf(k, null, out);
    }
    if (room < 0) {
      throw new IllegalStateException(
          "the dead-letter headers alone exceed " + maxBytes + " bytes");
    }
    byte[] v = value == null ? null : Arrays.copyOf(value, (int) Math.min(value.length, room));
    return new Letter(k, v, out);
  }

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
