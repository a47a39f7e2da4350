package io.cmstream.streamer.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimestampSanitizerTest {

  @Test
  void shouldStartAtZeroAndRepairTimestampsThatGoBack() {
    // AVI + H.264 as decoded by FFmpeg: starts at 0.2 s, the flushed last frames say 0
    TimestampSanitizer s = new TimestampSanitizer(10);
    assertEquals(0, s.mediaMicros(200_000));
    assertEquals(100_000, s.mediaMicros(300_000));
    assertEquals(200_000, s.mediaMicros(400_000));
    assertEquals(300_000, s.mediaMicros(0));
    assertEquals(400_000, s.mediaMicros(0));
    assertEquals(2, s.repaired());
    assertEquals(500_000, s.endMicros());
  }

  @Test
  void shouldEndOneFrameDurationAfterTheLastFrame() {
    TimestampSanitizer s = new TimestampSanitizer(0);
    s.mediaMicros(1_000_000);
    s.mediaMicros(1_040_000);
    assertEquals(80_000, s.endMicros());
  }
}
