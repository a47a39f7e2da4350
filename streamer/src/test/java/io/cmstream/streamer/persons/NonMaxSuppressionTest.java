package io.cmstream.streamer.persons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NonMaxSuppressionTest {
  @Test
  void shouldKeepTheBestOfOverlappingBoxesAndSeparateOnes() {
    PersonBox best = new PersonBox(0.10, 0.10, 0.30, 0.60, 0.9);
    PersonBox shifted = new PersonBox(0.12, 0.12, 0.32, 0.62, 0.7);
    PersonBox part = new PersonBox(0.12, 0.30, 0.28, 0.55, 0.8);
    PersonBox other = new PersonBox(0.60, 0.10, 0.80, 0.60, 0.6);
    assertEquals(List.of(best, other), new NonMaxSuppression(0.45).apply(List.of(shifted, part, other, best)));
  }
}
