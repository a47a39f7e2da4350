package io.cmstream.detector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowPolicyTest {

  @Test
  void shouldCompleteWhenEverySecondOfTheWindowIsStoredOrCanNoLongerArrive() {
    WindowPolicy w = new WindowPolicy(2, 1, 3);
    Set<Integer> stored = Set.of(10, 11, 12);
    assertFalse(w.isComplete(11, new StreamProgress(12, 10, false), stored::contains), "9 may still arrive (grace 3)");
    assertTrue(w.isComplete(11, new StreamProgress(12, 10, false), Set.of(9, 10, 11, 12)::contains));
    assertTrue(w.isComplete(11, new StreamProgress(13, 10, false), stored::contains), "9 is now late");
    assertFalse(w.isComplete(12, new StreamProgress(12, 10, false), stored::contains), "13 not seen");
    assertTrue(w.isComplete(12, new StreamProgress(12, 10, true), stored::contains), "stream ended");
  }

  @Test
  void shouldCallClipsBehindTheGraceLate() {
    WindowPolicy w = new WindowPolicy(0, 0, 2);
    assertFalse(w.isLate(8, 10));
    assertTrue(w.isLate(7, 10));
    assertFalse(w.isLate(11, 10));
  }

  @Test
  void shouldKeepWhatPendingOrArrivableSecondsNeed() {
    WindowPolicy w = new WindowPolicy(3, 1, 2);
    assertEquals(5, w.lowestNeeded(10, 8), "arrivable 8 needs 5");
    assertEquals(3, w.lowestNeeded(10, 6), "pending 6 needs 3");
    assertEquals(5, w.lowestNeeded(10, Integer.MAX_VALUE));
  }

  @Test
  void shouldRefuseNegativeSizes() {
    assertThrows(IllegalArgumentException.class, () -> new WindowPolicy(-1, 0, 0));
  }
}
