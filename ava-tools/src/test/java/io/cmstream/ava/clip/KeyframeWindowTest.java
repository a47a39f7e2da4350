package io.cmstream.ava.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyframeWindowTest {

  private static List<Integer> seconds(List<KeyframeWindow.Slot> w) {
    return w.stream().map(KeyframeWindow.Slot::second).toList();
  }

  @Test
  void shouldCentreFiveClipsOnTheKeyframe() {
    assertEquals(
        List.of(8, 9, 10, 11, 12), seconds(KeyframeWindow.centred(10, 5, 0, 30, s -> true)));
    assertEquals(
        List.of(-2, -1, 0, 1, 2),
        KeyframeWindow.centred(10, 5, 0, 30, s -> true).stream()
            .map(KeyframeWindow.Slot::offset)
            .toList());
  }

  @Test
  void shouldClipTheWindowToTheVideo() {
    assertEquals(List.of(0, 1, 2), seconds(KeyframeWindow.centred(0, 5, 0, 30, s -> true)));
    assertEquals(List.of(28, 29, 30), seconds(KeyframeWindow.centred(30, 5, 0, 30, s -> true)));
    assertEquals(List.of(9, 10), seconds(KeyframeWindow.around(10, 1, 0, 0, 30, s -> true)));
  }

  @Test
  void shouldMarkWhichSecondsCarryLabels() {
    List<KeyframeWindow.Slot> w = KeyframeWindow.centred(3, 3, 0, 30, s -> s % 2 == 1);
    assertEquals(
        List.of(false, true, false), w.stream().map(KeyframeWindow.Slot::labelled).toList());
  }
}
