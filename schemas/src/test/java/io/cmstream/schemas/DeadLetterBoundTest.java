package io.cmstream.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class DeadLetterBoundTest {

  private static final DeadLetterBound BOUND = new DeadLetterBound(64 * 1024);

  private static Headers letterHeaders() {
    Headers h =
        new DeadLetter(DlqReason.UNDECODABLE, "bad", "cm.clips", 0, 7, 1L, 2L, "test").toHeaders();
    h.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
    return h;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void shouldKeepARecordThatFitsUnchanged() {
    byte[] value = random(1000);
    Headers headers = letterHeaders();
    DeadLetterBound.Letter letter = BOUND.fit("k".getBytes(StandardCharsets.UTF_8), value, headers);
    assertSame(value, letter.value());
    assertSame(headers, letter.headers());
    assertNull(letter.headers().lastHeader(DeadLetterBound.ORIGINAL_SIZE));
  }

  @Test
  void shouldKeepAPrefixWithSizeAndSha256OfARecordThatDoesNotFit() throws Exception {
    for (int size : new int[] {64 * 1024 - 100, 64 * 1024, 5_000_000}) {
      byte[] value = random(size);
      byte[] key = "cam-1".getBytes(StandardCharsets.UTF_8);
      DeadLetterBound.Letter letter = BOUND.fit(key, value, letterHeaders());
      assertTrue(
          DeadLetterBound.sizeOf(letter.key(), letter.value(), letter.headers())
              <= BOUND.maxBytes(),
          "fits");
      assertTrue(
          letter.value().length > 60 * 1024,
          "most of the room is the prefix: " + letter.value().length);
      assertArrayEquals(
          Arrays.copyOf(value, letter.value().length), letter.value(), "a prefix of the original");
      assertArrayEquals(key, letter.key());
      assertEquals(Integer.toString(size), text(letter.headers(), DeadLetterBound.ORIGINAL_SIZE));
      assertEquals(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)),
          text(letter.headers(), DeadLetterBound.ORIGINAL_SHA256));
      assertEquals(
          DlqReason.UNDECODABLE,
          DeadLetter.fromHeaders(letter.headers()).reason(),
          "the reason stays");
      assertNotNull(letter.headers().lastHeader("trace-id"), "original headers stay when they fit");
    }
  }

  @Test
  void shouldCutAHugeKeyAndDropHugeOriginalHeaders() {
    Headers headers = letterHeaders();
    headers.add("huge", random(100_000));
    byte[] key = random(200_000);
    DeadLetterBound.Letter letter = BOUND.fit(key, random(10), headers);
    assertTrue(
        DeadLetterBound.sizeOf(letter.key(), letter.value(), letter.headers()) <= BOUND.maxBytes());
    assertEquals(DeadLetterBound.MAX_KEY_WHEN_CUT, letter.key().length);
    assertEquals("200000", text(letter.headers(), DeadLetterBound.ORIGINAL_KEY_SIZE));
    assertEquals("2", text(letter.headers(), DeadLetterBound.HEADERS_DROPPED), "trace-id and huge");
    assertEquals(10, letter.value().length, "the small value is whole");
    assertEquals(DlqReason.UNDECODABLE, DeadLetter.fromHeaders(letter.headers()).reason());
  }

  @Test
  void shouldReadTheLimitFromTheClientConfig() {
    assertEquals(DeadLetterBound.KAFKA_DEFAULT, DeadLetterBound.fromConfig(Map.of()).maxBytes());
    assertEquals(
        300_000, DeadLetterBound.fromConfig(Map.of(DeadLetterBound.CONFIG, "300000")).maxBytes());
    assertThrows(IllegalArgumentException.class, () -> new DeadLetterBound(100));
  }

  @Test
  void shouldCutALongDetail() {
    DeadLetter letter =
        new DeadLetter(DlqReason.PROCESSING_FAILED, "x".repeat(5000), "t", 0, 0, 0, 0, "w");
    assertEquals(DeadLetter.MAX_DETAIL, letter.detail().length());
    assertTrue(letter.detail().endsWith("..."));
  }

  private static String text(Headers headers, String key) {
    return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
