package io.cmstream.detector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cmstream.schemas.avro.ClipRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SyntheticClipOptionsTest {

  private static SyntheticClipOptions parse(String... args) {
    SyntheticClipOptions o = new SyntheticClipOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  @Test
  void shouldMakeClipsOfTheChosenSizeAndBoxes() {
    ClipRecord clip = parse("--frame-size", "64X48", "--boxes", "2").clips(4).clip("s", 3, false);

    assertEquals(64, clip.getWidth());
    assertEquals(48, clip.getHeight());
    assertEquals(4, clip.getFrames().size());
    assertEquals(2, clip.getBoxes().size());
    assertEquals(3, clip.getSecond());
  }

  @Test
  void shouldDefaultTo320x240WithThreeBoxes() {
    ClipRecord clip = parse().clips(2).clip("s", 0, true);

    assertEquals(320, clip.getWidth());
    assertEquals(240, clip.getHeight());
    assertEquals(3, clip.getBoxes().size());
  }

  @Test
  void shouldRefuseAFrameSizeThatIsNotWidthByHeight() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parse("--frame-size", "320").clips(2));
    assertEquals("--frame-size must be WIDTHxHEIGHT, got 320", e.getMessage());
  }
}
