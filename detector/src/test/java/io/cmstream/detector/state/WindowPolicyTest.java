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
    assertFalse(
        w.isComplete(11, new StreamProgress(12, 10, false), stored::contains),
        "9 may still arrive (grace 3)");
    assertTrue(
        w.isComplete(11, new StreamProgress(12, 10, false), Set.of(9, 10, 11, 12)::contains));
    assertTrue(
        w.isComplete(11, new StreamProgress(13, 10, false), stored::contains), "9 is now late");
    assertFalse(
        w.isComplete(12, new StreamProgress(12, 10, false), stored::contains), "13 not seen");
    assertTrue(
        w.isComplete(12, new StreamProgress(12, 10, true), stored::contains), "stream ended");
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
  void shouldNotWrapAroundAtTheEndsOfTheIntRange() {
    int max = Integer.MAX_VALUE;
    WindowPolicy w = new WindowPolicy(2, 2, 1);
    assertEquals(max, w.last(max - 1));
    assertEquals(Integer.MIN_VALUE, w.first(Integer.MIN_VALUE + 1));
    assertFalse(
        w.isComplete(
            max - 1,
            new StreamProgress(max - 1, max - 3, false),
            Set.of(max - 3, max - 2, max - 1)::contains));
    assertTrue(
        w.isComplete(
            max - 1,
            new StreamProgress(max, max - 3, false),
            Set.of(max - 2, max - 1, max)::contains),
        "the window ends at the top of the range, not at a wrapped negative second");
    assertFalse(w.isLate(max, max));
    assertEquals(max - 3, w.lowestNeeded(max, max - 1));
  }

  @Test
  void shouldKnowTheRangeOfSecondsAndTheForwardJump() {
    assertEquals(null, SecondPolicy.rangeProblem(0));
    assertEquals(null, SecondPolicy.rangeProblem(SecondPolicy.MAX));
    assertTrue(SecondPolicy.rangeProblem(-1).contains("negative"));
    assertTrue(SecondPolicy.rangeProblem(Integer.MIN_VALUE).contains("negative"));
    assertTrue(SecondPolicy.rangeProblem(Integer.MAX_VALUE).contains("above"));
    SecondPolicy p = new SecondPolicy(60);
    assertFalse(p.isJump(160, 100));
    assertTrue(p.isJump(161, 100));
    assertFalse(
        p.isJump(Integer.MIN_VALUE, Integer.MAX_VALUE),
        "a step back is no jump (and does not overflow)");
    assertTrue(p.isJump(Integer.MAX_VALUE, Integer.MIN_VALUE), "no overflow");
    assertThrows(IllegalArgumentException.class, () -> new SecondPolicy(0));
  }

  @Test
  void shouldRefuseNegativeSizes() {
    assertThrows(IllegalArgumentException.class, () -> new WindowPolicy(-1, 0, 0));
  }
}
