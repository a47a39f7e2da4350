package io.cmstream.detector.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cmstream.detector.DetectorConfig;
import io.cmstream.detector.DetectorMetrics;
import io.cmstream.detector.model.DetectorModel;
import io.cmstream.detector.model.FramePolicy;
import io.cmstream.detector.model.TinyDetectorModel;
import io.cmstream.detector.replay.ReplayDriver;
import io.cmstream.detector.state.SecondPolicy;
import io.cmstream.detector.state.WindowPolicy;
import io.cmstream.runtime.TinyCmModel;
import io.cmstream.schemas.AvroSerdes;
import io.cmstream.schemas.DeadLetter;
import io.cmstream.schemas.DlqReason;
import io.cmstream.schemas.Topics;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.PersonBox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

  private static final String STREAM = "cam-7";
  private static final byte[] KEY = STREAM.getBytes(StandardCharsets.UTF_8);
  private static DetectorModel model;
  private DetectorMetrics metrics;
  private ReplayDriver driver;
  private long offset;

  @BeforeAll
  static void openModel() {
    model = TinyDetectorModel.of(3);
  }

  @BeforeEach
  void start() {
    metrics = new DetectorMetrics(new SimpleMeterRegistry());
    DetectorConfig config =
        DetectorConfig.defaults(model)
            .withWindow(new WindowPolicy(2, 1, 1))
            .withFrames(new FramePolicy(TinyCmModel.CLIP_SPEC.frames(), 16, 64, 3));
    driver = new ReplayDriver(config, metrics);
    offset = 0;
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldDeadLetterUndecodableBytes() {
    assertDeadLettered(DlqReason.UNDECODABLE, "this is not avro".getBytes(StandardCharsets.UTF_8));
    byte[] good = encode(Clips.clip(STREAM, 5));
    byte[] truncated = new byte[good.length / 2];
    System.arraycopy(good, 0, truncated, 0, truncated.length);
    assertDeadLettered(DlqReason.UNDECODABLE, truncated);
  }

  @Test
  void shouldDeadLetterUnknownSchemaFingerprint() {
    byte[] bytes = encode(Clips.clip(STREAM, 5));
    for (int i = 2; i < 10; i++) {
      bytes[i] = (byte) ~bytes[i]; // a fingerprint no known writer schema has
    }
    assertDeadLettered(DlqReason.UNKNOWN_SCHEMA, bytes);
  }

  @Test
  void shouldDeadLetterCorruptJpeg() {
    ClipRecord clip = Clips.clip(STREAM, 5);
    List<ByteBuffer> frames = new ArrayList<>(clip.getFrames());
    frames.set(1, ByteBuffer.wrap("garbage, not a jpeg".getBytes(StandardCharsets.UTF_8)));
    clip.setFrames(frames);
    assertDeadLettered(DlqReason.CORRUPT_JPEG, encode(clip));
  }

  @Test
  void shouldDeadLetterTruncatedJpegAndJpegWithTrailingBytes() {
    ClipRecord clip = Clips.clip(STREAM, 5);
    byte[] whole = bytes(clip.getFrames().get(2));
    List<ByteBuffer> frames = new ArrayList<>(clip.getFrames());
    frames.set(
        2, ByteBuffer.wrap(Arrays.copyOf(whole, whole.length - 40))); // ImageIO alone decodes this
    clip.setFrames(frames);
    assertDeadLettered(DlqReason.CORRUPT_JPEG, encode(clip));
    frames.set(2, ByteBuffer.wrap(Arrays.copyOf(whole, whole.length + 7)));
    clip.setFrames(frames);
    assertDeadLettered(DlqReason.CORRUPT_JPEG, encode(clip));
  }

  @Test
  void shouldDeadLetterTrailingBytesAfterTheAvroBody() {
    byte[] good = encode(Clips.clip(STREAM, 5));
    assertDeadLettered(DlqReason.UNDECODABLE, Arrays.copyOf(good, good.length + 1));
  }

  @Test
  void shouldDeadLetterSecondsOutsideTheRange() {
    for (int second :
        new int[] {
          -1, -2, Integer.MIN_VALUE, SecondPolicy.MAX + 1, Integer.MAX_VALUE - 1, Integer.MAX_VALUE
        }) {
      assertDeadLettered(DlqReason.INVALID_SECOND, encode(Clips.clip(STREAM, second)));
    }
  }

  @Test
  void shouldDetectAtTheEdgesOfTheRange() {
    for (int second : new int[] {SecondPolicy.MIN, SecondPolicy.MAX}) {
      driver.pipe(Clips.builder("edge-" + second, second).setEndOfStream(true).build(), 1_000L);
      assertEquals(List.of(second), DetectorTopologyTest.seconds(driver.detections()));
    }
    assertEquals(List.of(), driver.deadLetters());
  }

  @Test
  void shouldDeadLetterAForwardJumpWithoutMovingTheStream() {
    for (int s = 10; s <= 13; s++) {
      pipe(encode(Clips.clip(STREAM, s)));
    }
    assertEquals(List.of(10, 11, 12), DetectorTopologyTest.seconds(driver.detections()));
    assertDeadLettered(DlqReason.FORWARD_JUMP, encode(Clips.clip(STREAM, 1_000_000_000)));
    assertDeadLettered(
        DlqReason.FORWARD_JUMP,
        encode(Clips.clip(STREAM, 13 + DetectorConfig.Defaults.MAX_FORWARD_JUMP + 1)));
    // the stream was not moved: its next seconds are not late and flow as before
    pipe(encode(Clips.clip(STREAM, 14)));
    pipe(
        encode(
            Clips.builder(STREAM, 13 + DetectorConfig.Defaults.MAX_FORWARD_JUMP)
                .setEndOfStream(true)
                .build()));
    assertEquals(
        List.of(13, 14, 13 + DetectorConfig.Defaults.MAX_FORWARD_JUMP),
        DetectorTopologyTest.seconds(driver.detections()));
    assertEquals(List.of(), driver.deadLetters());
  }

  @Test
  void shouldDeadLetterFrameCountOutsidePolicy() {
    ClipRecord clip = Clips.clip(STREAM, 5);
    clip.setFrames(new ArrayList<>(clip.getFrames().subList(0, 3)));
    assertDeadLettered(DlqReason.FRAME_POLICY, encode(clip));
  }

  @Test
  void shouldDeadLetterFrameSizeOutsidePolicy() {
    ClipRecord tooLarge = Clips.clip(STREAM, 5);
    tooLarge.setWidth(128); // policy: long side at most 64
    assertDeadLettered(DlqReason.FRAME_POLICY, encode(tooLarge));
    ClipRecord lying = Clips.clip(STREAM, 5);
    lying.setWidth(40); // inside the policy, but the JPEGs are 32x32
    assertDeadLettered(DlqReason.FRAME_POLICY, encode(lying));
  }

  @Test
  void shouldDeadLetterInvalidBoxes() {
    for (PersonBox bad :
        List.of(
            Clips.box(Float.NaN, 0.1f, 0.5f, 0.5f),
            Clips.box(0.1f, 0.1f, 1.5f, 0.5f),
            Clips.box(0.6f, 0.1f, 0.5f, 0.5f),
            Clips.box(-0.1f, 0.1f, 0.5f, 0.5f),
            Clips.box(0.3f, 0.1f, 0.3f, 0.5f),
            Clips.box(0.1f, 0.4f, 0.5f, 0.4f),
            Clips.box(1f, 1f, 1f, 1f))) {
      ClipRecord clip = Clips.clip(STREAM, 5);
      clip.setBoxes(List.of(Clips.box(0.1f, 0.1f, 0.4f, 0.4f), bad));
      assertDeadLettered(DlqReason.INVALID_BOXES, encode(clip));
    }
  }

  @Test
  void shouldDeadLetterTooManyBoxes() {
    ClipRecord clip = Clips.clip(STREAM, 5);
    clip.setBoxes(Collections.nCopies(4, Clips.box(0.1f, 0.1f, 0.4f, 0.4f)));
    assertDeadLettered(DlqReason.TOO_MANY_BOXES, encode(clip));
  }

  @Test
  void shouldDeadLetterClipLaterThanGrace() {
    for (int s = 10; s <= 13; s++) {
      pipe(encode(Clips.clip(STREAM, s)));
    }
    assertEquals(List.of(10, 11, 12), DetectorTopologyTest.seconds(driver.detections()));
    // grace is 1 and 13 was seen: 12 could still come, 11 cannot
    assertDeadLettered(DlqReason.LATE, encode(Clips.clip(STREAM, 11)));
    pipe(encode(Clips.builder(STREAM, 14).setEndOfStream(true).build()));
    assertEquals(List.of(13, 14), DetectorTopologyTest.seconds(driver.detections()));
    assertDeadLettered(DlqReason.LATE, encode(Clips.clip(STREAM, 14)));
  }

  private void assertDeadLettered(DlqReason reason, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
    long expectedOffset = offset;
    driver.pipeRaw(KEY, value, headers, 42_000L);
    offset++;
    List<TestRecord<byte[], byte[]>> dlq = driver.deadLetters();
    assertEquals(1, dlq.size(), "one dead letter for " + reason);
    TestRecord<byte[], byte[]> record = dlq.get(0);
    assertArrayEquals(value, record.value(), "original bytes");
    assertArrayEquals(KEY, record.key(), "original key");
    assertNotNull(record.headers().lastHeader("trace-id"), "original headers kept");
    DeadLetter letter = DeadLetter.fromHeaders(record.headers());
    assertEquals(reason, letter.reason(), letter.detail());
    assertEquals(Topics.CLIPS, letter.topic());
    assertEquals(0, letter.partition());
    assertEquals(expectedOffset, letter.offset());
    assertEquals(42_000L, letter.recordTimestampMs());
    assertEquals(1.0, metrics.deadLetterCount(reason) - countBefore(reason), 1e-9);
    seen.add(reason);
    // the application keeps running: a good clip of another stream still goes through
    String other = "after-" + offset;
    driver.pipe(Clips.builder(other, 1).setEndOfStream(true).build(), 43_000L);
    offset++;
    assertEquals(List.of(1), DetectorTopologyTest.seconds(driver.detections()));
  }

  private final List<DlqReason> seen = new ArrayList<>();

  private double countBefore(DlqReason reason) {
    return seen.stream().filter(reason::equals).count();
  }

  private void pipe(byte[] value) {
    driver.pipeRaw(KEY, value, new RecordHeaders(), 1_000L);
    offset++;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  private static byte[] encode(ClipRecord clip) {
    return AvroSerdes.clipRecord().encode(clip);
  }
}
