package io.cmstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cmstream.schemas.avro.ClipRecord;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void shouldNameEveryTopicByDefault() {
    assertEquals(List.of("cm.clips", "cm.detections", "cm.clips.dlq"), Topics.defaults().names());
  }

  @Test
  void shouldCarryWorkingSerdesForRenamedTopics() {
    Topics topics = Topics.named("dev.clips", "dev.detections", "dev.dlq");
    ClipRecord clip = AvroSingleObjectSerdeTest.clip("s", 3, 5L);

    byte[] key = topics.clips().keySerde().serializer().serialize(topics.clips().name(), "s");
    byte[] value = topics.clips().valueSerde().serializer().serialize(topics.clips().name(), clip);

    assertEquals("s", topics.clips().keySerde().deserializer().deserialize("dev.clips", key));
    assertEquals(clip, topics.clips().valueSerde().deserializer().deserialize("dev.clips", value));
    assertEquals("dev.dlq", topics.clipsDlq().name());
  }

  @Test
  void shouldRoundTripDeadLetterHeaders() {
    DeadLetter letter =
        new DeadLetter(
            DlqReason.INVALID_BOXES,
            "box 2: x2 < x1",
            "cm.clips",
            3,
            1234L,
            1_700_000_000_000L,
            1_700_000_000_500L,
            "cm-detector/validate");

    Headers headers = letter.toHeaders();

    assertEquals(letter, DeadLetter.fromHeaders(headers));
    assertEquals("INVALID_BOXES", new String(headers.lastHeader(DeadLetter.REASON).value()));
  }

  @Test
  void shouldRefuseDeadLetterWithoutReasonHeader() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DeadLetter.fromHeaders(new RecordHeaders()));
    assertEquals("dead-letter header cm.dlq.reason is missing", e.getMessage());
  }
}
