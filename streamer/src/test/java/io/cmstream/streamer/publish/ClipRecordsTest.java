package io.cmstream.streamer.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.streamer.clip.Clip;
import io.cmstream.streamer.persons.PersonBox;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipRecordsTest {

  @Test
  void shouldLeaveOutBoxesOfZeroArea() {
    List<PersonBox> boxes =
        List.of(
            new PersonBox(0.1, 0.1, 0.5, 0.9, 0.9),
            new PersonBox(1, 0.2, 1, 0.6, 0.8), // clipped at the right edge: no width
            new PersonBox(0.2, 0.3, 0.4, 0.3, 0.7));
    Clip clip =
        new Clip(
            3, 3000, null, null, 30, 64, 48, List.of(new byte[] {1}), List.of(0L), boxes, false, 0);

    ClipRecord record = ClipRecords.toAvro("cam", clip);

    assertEquals(1, record.getBoxes().size());
    assertEquals(0.5f, record.getBoxes().get(0).getX2());
  }
}
