package io.cmstream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cmstream.common.window.WindowSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryTest {

  private static MemoryContribution c(float value, float weight) {
    return new MemoryContribution(new float[] {value, 2 * value, 0, -value}, weight);
  }

  @Test
  void shouldAverageContributionsByTheirWeights() {
    Map<Integer, MemoryContribution> bySecond = Map.of(4, c(1, 1), 5, c(4, 3), 6, c(10, 4));

    Memory memory = Memory.at(new WindowSpan(1, 1), 5, bySecond);

    float expected = (1 + 4 + 10) / 8f;
    assertArrayEquals(new float[] {expected, 2 * expected, 0, -expected}, memory.matrix(), 1e-7f);
    assertEquals(List.of(4, 5, 6), memory.seconds());
  }

  @Test
  void shouldUseOnlyTheSecondsThatExistAtTheStartOfTheVideo() {
    Map<Integer, MemoryContribution> bySecond =
        Map.of(0, c(2, 1), 1, c(4, 1), 2, c(6, 1), 3, c(100, 1));

    Memory memory = Memory.at(new WindowSpan(2, 2), 0, bySecond);

    assertEquals(List.of(0, 1, 2), memory.seconds());
    assertEquals(4f, memory.matrix()[0], 1e-6f);
  }

  @Test
  void shouldNotWrapAroundAtTheEndsOfTheIntRange() {
    int max = Integer.MAX_VALUE;
    int min = Integer.MIN_VALUE;
    WindowSpan span = new WindowSpan(2, 2);
    assertEquals(max, span.last(max - 1));
    assertEquals(min, span.first(min + 1));

    Memory top = Memory.at(span, max - 1, Map.of(max - 2, c(2, 1), max, c(4, 1)));
    Memory bottom = Memory.at(span, min, Map.of(min, c(2, 1), min + 2, c(4, 1)));

    assertEquals(List.of(max - 2, max), top.seconds());
    assertEquals(List.of(min, min + 2), bottom.seconds());
    assertEquals(3f, top.matrix()[0], 1e-6f);
  }

  @Test
  void shouldSkipGapsInsideTheWindow() {
    Map<Integer, MemoryContribution> bySecond = Map.of(8, c(3, 1), 10, c(5, 1), 12, c(100, 1));

    Memory memory = Memory.at(new WindowSpan(2, 0), 10, bySecond);

    assertEquals(List.of(8, 10), memory.seconds(), "causal window ignores second 12");
    assertEquals(4f, memory.matrix()[0], 1e-6f);
  }

  @Test
  void shouldRefuseAWindowWithoutContributions() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Memory.at(new WindowSpan(1, 1), 10, Map.of(3, c(1, 1))));
    assertEquals("no contribution in the window [9, 11] of second 10", e.getMessage());
  }

  @Test
  void shouldRefuseContributionsOfDifferentSizes() {
    MemoryContribution nine = new MemoryContribution(new float[9], 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> Memory.at(new WindowSpan(1, 1), 1, Map.of(0, c(1, 1), 1, nine)));
  }

  @Test
  void shouldEndTheWindowAtTheIntRangeInsteadOfOverflowing() {
    WindowSpan span = new WindowSpan(Integer.MAX_VALUE, Integer.MAX_VALUE);
    assertEquals(Integer.MIN_VALUE, span.first(-5));
    assertEquals(Integer.MAX_VALUE, span.last(5));
    assertEquals(2L * Integer.MAX_VALUE + 1, span.size());

    Memory memory =
        Memory.at(
            span,
            -1,
            Map.of(
                Integer.MIN_VALUE,
                c(2, 1),
                Integer.MAX_VALUE - 1,
                c(4, 1),
                Integer.MAX_VALUE,
                c(100, 1)));

    assertEquals(List.of(Integer.MIN_VALUE, Integer.MAX_VALUE - 1), memory.seconds());
    assertEquals(3f, memory.matrix()[0], 1e-6f);
  }

  @Test
  void shouldRoundTripContributionBytes() {
    MemoryContribution original = c(1.5f, 392f);

    MemoryContribution back = MemoryContribution.fromBytes(original.toBytes());

    assertArrayEquals(original.matrix(), back.matrix());
    assertEquals(original.weight(), back.weight());
    assertEquals(2, back.memoryChannels());
  }

  @Test
  void shouldRefuseNonSquareOrWeightlessContributions() {
    assertThrows(IllegalArgumentException.class, () -> new MemoryContribution(new float[3], 1));
    assertThrows(IllegalArgumentException.class, () -> new MemoryContribution(new float[4], 0));
  }
}
