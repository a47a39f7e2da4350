package io.cmstream.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThreadBudgetTest {

  @Test
  void shouldTellWhenStreamThreadsTimesIntraOpThreadsExceedTheCores() {
    assertFalse(new ThreadBudget(2, 1).oversubscribedWith(ThreadBudget.INTRA_OP_THREADS));
    assertFalse(new ThreadBudget(2, 1).oversubscribedWith(2));
    assertFalse(new ThreadBudget(2, 2).oversubscribedWith(1));
    assertTrue(new ThreadBudget(2, 2).oversubscribedWith(2));
    assertTrue(new ThreadBudget(2, 1).oversubscribedWith(3));
  }

  @Test
  void shouldRefuseNoCoresOrThreads() {
    assertThrows(IllegalArgumentException.class, () -> new ThreadBudget(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ThreadBudget(2, 0));
  }

  @Test
  void batchShouldRefuseSizeBelowOneAndNoWait() {
    assertThrows(
        IllegalArgumentException.class, () -> new EncodeBatch(0, java.time.Duration.ofMillis(50)));
    assertThrows(IllegalArgumentException.class, () -> new EncodeBatch(4, java.time.Duration.ZERO));
    assertEquals(
        java.time.Duration.ofMillis(5),
        new EncodeBatch(4, java.time.Duration.ofMillis(50)).checkInterval());
    assertEquals(
        java.time.Duration.ofMillis(1),
        new EncodeBatch(4, java.time.Duration.ofMillis(3)).checkInterval());
  }
}
