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
    assertEquals(
        List.of(best, other),
        new NonMaxSuppression(0.45).apply(List.of(shifted, part, other, best)));
  }

  @Test
  void shouldDropAWeakerBoxAroundTheSamePersonAtACoarserScale() {
    PersonBox person = new PersonBox(0.38, 0.32, 0.46, 0.50, 0.9);
    PersonBox coarse = new PersonBox(0.34, 0.18, 0.49, 0.56, 0.6);
    assertEquals(List.of(person), new NonMaxSuppression(0.45).apply(List.of(coarse, person)));
  }

  @Test
  void shouldDropABoxAroundAGroupOfPeople() {
    PersonBox a = new PersonBox(0.70, 0.30, 0.75, 0.50, 0.9);
    PersonBox b = new PersonBox(0.76, 0.40, 0.82, 0.60, 0.8);
    PersonBox group = new PersonBox(0.65, 0.10, 0.90, 0.70, 0.7);
    PersonBox alone = new PersonBox(0.10, 0.30, 0.16, 0.50, 0.6);
    assertEquals(
        List.of(a, b, alone), new NonMaxSuppression(0.45).apply(List.of(group, alone, a, b)));
  }
}
