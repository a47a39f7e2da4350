package io.cmstream.ava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.cmstream.ava.format.Box;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PersonTracksTest {
  private static Box person(double cx, double cy) {
    return new Box(cx - 0.05, cy - 0.15, cx + 0.05, cy + 0.15); // 0.3 high
  }

  @Test
  void shouldFollowPersonsWhoMoveFurtherThanTheirBoxesOverlap() {
    // two persons walk towards each other, 0.12 (0.4 heights) a second, boxes without overlap
    // from second to second; they pass at second 3 on two rows 0.2 apart
    TreeMap<Integer, List<Box>> boxes = new TreeMap<>();
    for (int t = 0; t <= 6; t++) {
      boxes.put(t, List.of(person(0.1 + 0.12 * t, 0.5), person(0.82 - 0.12 * t, 0.7)));
    }
    PersonTracks tracks = PersonTracks.of(boxes);
    assertEquals(2, tracks.count());
    for (int t = 0; t <= 6; t++) {
      assertEquals(
          tracks.id(0, person(0.1, 0.5)), tracks.id(t, person(0.1 + 0.12 * t, 0.5)), "second " + t);
      assertEquals(
          tracks.id(0, person(0.82, 0.7)),
          tracks.id(t, person(0.82 - 0.12 * t, 0.7)),
          "second " + t);
    }
    assertNotEquals(tracks.id(0, person(0.1, 0.5)), tracks.id(0, person(0.82, 0.7)));
  }

  @Test
  void shouldBridgeAMissedSecondAndStartNewTracksForNewcomers() {
    TreeMap<Integer, List<Box>> boxes = new TreeMap<>();
    boxes.put(1, List.of(person(0.2, 0.5)));
    boxes.put(2, List.of()); // the proposal missed the person
    boxes.put(3, List.of(person(0.3, 0.5), person(0.9, 0.5)));
    boxes.put(9, List.of(person(0.3, 0.5))); // gone for longer than the gap allows: a new track
    PersonTracks tracks = PersonTracks.of(boxes);
    assertEquals(0, tracks.id(1, person(0.2, 0.5)));
    assertEquals(0, tracks.id(3, person(0.3, 0.5)));
    assertEquals(1, tracks.id(3, person(0.9, 0.5)));
    assertEquals(2, tracks.id(9, person(0.3, 0.5)));
    assertEquals(3, tracks.count());
    assertEquals("P3", PersonTracks.label(2));
  }
}
