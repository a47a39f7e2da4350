package io.cmstream.common.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WindowSpanTest {

  @Test
  void shouldCentreAWindowOfNClips() {
    assertEquals(new WindowSpan(0, 0), WindowSpan.centred(1));
    assertEquals(new WindowSpan(1, 1), WindowSpan.centred(3));
    assertEquals(new WindowSpan(1, 2), WindowSpan.centred(4));
    assertEquals(new WindowSpan(2, 2), WindowSpan.centred(5));
    assertThrows(IllegalArgumentException.class, () -> WindowSpan.centred(0));
  }

  @Test
  void shouldLowerTheLookaheadButNeverRaiseIt() {
    WindowSpan trained = WindowSpan.centred(5);
    assertEquals(new WindowSpan(2, 0), trained.withAhead(0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> trained.withAhead(3));
    assertEquals(
        "ahead must be in [0, 2] (the model was trained with ahead 2), got 3", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> trained.withAhead(-1));
  }
}
