package io.cmstream.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.schemas.avro.ActionScore;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.ClipTimes;
import io.cmstream.schemas.avro.DetectionRecord;
import io.cmstream.schemas.avro.PersonBox;
import io.cmstream.schemas.avro.PersonDetection;
import io.cmstream.schemas.avro.Timing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

class AvroSingleObjectSerdeTest {

  private final AvroSingleObjectSerde<ClipRecord> clips = AvroSerdes.clipRecord();
  private final AvroSingleObjectSerde<DetectionRecord> detections = AvroSerdes.detectionRecord();

  static ClipRecord clip(String stream, int second, Long captureTime) {
    return ClipRecord.newBuilder()
        .setStreamId(stream)
        .setSecond(second)
        .setMediaTimeMs(second * 1000L)
        .setCaptureTimeMs(captureTime)
        .setFps(30.0)
        .setWidth(320)
        .setHeight(240)
        .setFrames(
            List.of(
                ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2}),
                ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 3})))
        .setBoxes(List.of(new PersonBox(0.1f, 0.2f, 0.5f, 0.9f, 0.97f)))
        .setEndOfStream(false)
        .build();
  }

  @Test
  void shouldRoundTripClipRecordThroughKafkaSerde() {
    ClipRecord original = clip("cam-1", 902, 1_764_000_000_000L);

    byte[] bytes = clips.serializer().serialize(Topics.CLIPS, original);
    ClipRecord back = clips.deserializer().deserialize(Topics.CLIPS, bytes);

    assertEquals(original, back);
    assertEquals((byte) 0xC3, bytes[0], "single-object marker");
    assertEquals((byte) 0x01, bytes[1], "single-object marker");
    assertEquals(
        KnownSchemas.fingerprint(ClipRecord.getClassSchema()),
        AvroSingleObjectSerde.fingerprintOf(bytes));
  }

  @Test
  void shouldRoundTripDetectionRecord() {
    DetectionRecord original =
        DetectionRecord.newBuilder()
            .setStreamId("cam-1")
            .setSecond(905)
            .setModelId("cm-tiny:1")
            .setPersons(
                List.of(
                    new PersonDetection(
                        new PersonBox(0f, 0f, 1f, 1f, 1f),
                        List.of(
                            new ActionScore(1, "stand", 0.75f),
                            new ActionScore(2, "wave", 0.125f)))))
            .setMemorySeconds(List.of(903, 904, 905, 906, 907))
            .setTiming(
                new Timing(
                    null,
                    42L,
                    12.5,
                    0.25,
                    99L,
                    new ClipTimes(905, 40L, 41L, 42L, 60L),
                    new ClipTimes(907, null, 80L, 81L, 95L)))
            .build();

    assertEquals(original, detections.decode(detections.encode(original)));
  }

  @Test
  void shouldPassNullThroughAsTombstone() {
    assertNull(clips.serializer().serialize(Topics.CLIPS, null));
    assertNull(clips.deserializer().deserialize(Topics.CLIPS, null));
  }

  @Test
  void shouldReadClipWrittenWithOlderSchemaVersion() throws IOException {
    Schema v1 = v1ClipSchema();
    assertNotEquals(
        KnownSchemas.fingerprint(v1), KnownSchemas.fingerprint(ClipRecord.getClassSchema()));
    byte[] written =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(v1Clip(v1)).array();

    ClipRecord read = clips.decode(written);

    assertEquals("old-cam", read.getStreamId());
    assertEquals(7, read.getSecond());
    assertEquals(7000L, read.getMediaTimeMs());
    assertNull(read.getCaptureTimeMs(), "field added in v2 takes its default");
    assertEquals(25.0, read.getFps());
    assertEquals(1, read.getFrames().size());
    assertArrayEquals(new byte[] {9, 8, 7}, bytes(read.getFrames().get(0)));
    assertEquals(new PersonBox(0.25f, 0.25f, 0.75f, 1f, 0.5f), read.getBoxes().get(0));
    assertTrue(read.getEndOfStream());
  }

  @Test
  void shouldReadOlderClipAndDetectionSchemasWithoutTheTimesAddedLater() throws IOException {
    Schema v2 = history("ClipRecord", 1);
    GenericRecord clip = v1Clip(v2);
    clip.put("captureTimeMs", 5L);
    ClipRecord readClip =
        clips.decode(
            new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(clip).array());
    assertEquals(5L, readClip.getCaptureTimeMs());
    assertNull(readClip.getLastFrameCaptureTimeMs(), "field added in v3 takes its default");

    Schema v1 = history("DetectionRecord", 0);
    GenericRecord timing = new GenericData.Record(v1.getField("timing").schema());
    timing.put("captureTimeMs", 1L);
    timing.put("clipTimestampMs", 2L);
    timing.put("encodeMs", 3.0);
    timing.put("headMs", 4.0);
    timing.put("emitTimeMs", 5L);
    GenericRecord detection = new GenericData.Record(v1);
    detection.put("streamId", "old-cam");
    detection.put("second", 3);
    detection.put("modelId", "m:1");
    detection.put("persons", List.of());
    detection.put("memorySeconds", List.of(3));
    detection.put("timing", timing);
    DetectionRecord read =
        detections.decode(
            new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1)
                .encode(detection)
                .array());
    assertEquals(5L, read.getTiming().getEmitTimeMs());
    assertNull(read.getTiming().getClip(), "clip times added in v2 take their default");
    assertNull(read.getTiming().getWindow(), "window times added in v2 take their default");
  }

  private static Schema history(String name, int index) {
    return KnownSchemas.history().stream()
        .filter(s -> s.getName().equals(name))
        .toList()
        .get(index);
  }

  @Test
  void shouldNotKnowOlderSchemaWithoutTheHistory() throws IOException {
    Schema v1 = v1ClipSchema();
    byte[] written =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(v1Clip(v1)).array();
    AvroSingleObjectSerde<ClipRecord> currentOnly =
        new AvroSingleObjectSerde<>(ClipRecord.class, new SchemaStore.Cache());

    UnknownSchemaException e =
        assertThrows(UnknownSchemaException.class, () -> currentOnly.decode(written));

    assertEquals(KnownSchemas.fingerprint(v1), e.fingerprint());
  }

  @Test
  void shouldRejectUnknownFingerprintWithTypedException() throws IOException {
    Schema future =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"ClipRecord\",\"namespace\":\"io.cmstream.schemas.avro\","
                    + "\"fields\":[{\"name\":\"streamId\",\"type\":\"string\"},{\"name\":\"camera\",\"type\":\"string\"}]}");
    GenericRecord record = new GenericData.Record(future);
    record.put("streamId", "x");
    record.put("camera", "north");
    byte[] written =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), future).encode(record).array();

    UnknownSchemaException e =
        assertThrows(
            UnknownSchemaException.class,
            () -> clips.deserializer().deserialize(Topics.CLIPS, written));

    assertEquals(DlqReason.UNKNOWN_SCHEMA, e.reason());
    assertEquals(KnownSchemas.fingerprint(future), e.fingerprint());
    assertTrue(
        e.getMessage().contains(UnknownSchemaException.hex(e.fingerprint())), e.getMessage());
  }

  @Test
  void shouldRejectBytesWithoutSingleObjectHeaderAsUndecodable() {
    byte[] garbage = "not avro at all".getBytes();

    RecordDecodingException e =
        assertThrows(RecordDecodingException.class, () -> clips.decode(garbage));

    assertEquals(DlqReason.UNDECODABLE, e.reason());
  }

  @Test
  void shouldRejectTruncatedBodyAsUndecodable() {
    byte[] whole = clips.encode(clip("cam-1", 1, null));
    byte[] truncated = Arrays.copyOf(whole, 16);

    RecordDecodingException e =
        assertThrows(RecordDecodingException.class, () -> clips.decode(truncated));

    assertEquals(DlqReason.UNDECODABLE, e.reason());
  }

  @Test
  void shouldRejectTrailingBytesAfterTheBodyAsUndecodable() {
    byte[] whole = clips.encode(clip("cam-1", 1, null));
    byte[] longer = Arrays.copyOf(whole, whole.length + 3); // a valid body, then 3 more bytes

    RecordDecodingException e =
        assertThrows(RecordDecodingException.class, () -> clips.decode(longer));

    assertEquals(DlqReason.UNDECODABLE, e.reason());
    assertTrue(e.getMessage().contains("3 trailing bytes"), e.getMessage());
    assertEquals(clip("cam-1", 1, null), clips.decode(whole), "the exact message still decodes");
  }

  @Test
  void shouldRejectEmptyMessageAsUndecodable() {
    RecordDecodingException e =
        assertThrows(RecordDecodingException.class, () -> clips.decode(new byte[0]));
    assertEquals(DlqReason.UNDECODABLE, e.reason());
  }

  @Test
  void shouldNotReadADetectionAsAClip() {
    byte[] detection =
        detections.encode(
            DetectionRecord.newBuilder()
                .setStreamId("s")
                .setSecond(1)
                .setModelId("m")
                .setPersons(List.of())
                .setMemorySeconds(List.of())
                .setTiming(new Timing(null, 0L, 0.0, 0.0, 0L, null, null))
                .build());

    assertThrows(RecordDecodingException.class, () -> clips.decode(detection));
  }

  private static Schema v1ClipSchema() {
    return KnownSchemas.history().stream()
        .filter(s -> s.getFullName().equals(ClipRecord.getClassSchema().getFullName()))
        .findFirst()
        .orElseThrow();
  }

  private static GenericRecord v1Clip(Schema v1) {
    Schema boxSchema = v1.getField("boxes").schema().getElementType();
    GenericRecord box = new GenericData.Record(boxSchema);
    box.put("x1", 0.25f);
    box.put("y1", 0.25f);
    box.put("x2", 0.75f);
    box.put("y2", 1f);
    box.put("score", 0.5f);
    GenericRecord record = new GenericData.Record(v1);
    record.put("streamId", "old-cam");
    record.put("second", 7);
    record.put("mediaTimeMs", 7000L);
    record.put("fps", 25.0);
    record.put("width", 64);
    record.put("height", 48);
    record.put("frames", List.of(ByteBuffer.wrap(new byte[] {9, 8, 7})));
    record.put("boxes", List.of(box));
    record.put("endOfStream", true);
    return record;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
