package io.cmstream.ava.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AveragePrecisionTest {
  @Test
  void shouldSortIndicesStablyByScoreLikeAComparatorSort() {
    Random rnd = new Random(11);
    for (int n : new int[] {0, 1, 2, 17, 1000, 50_000}) {
      double[] key = new double[n];
      for (int i = 0; i < n; i++) {
        key[i] =
            switch (rnd.nextInt(5)) {
              case 0 -> Math.round(rnd.nextDouble() * 100) / 100.0; // many ties
              case 1 -> -rnd.nextDouble() * 1e6;
              case 2 -> rnd.nextBoolean() ? 0.0 : -0.0;
              case 3 -> rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
              default -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(20) - 10);
            };
      }
      int[] idx = IntStream.range(0, n).toArray();
      AveragePrecision.StableSort.byAscendingScore(idx, key);
      // java's object sort is stable; compare with primitive '<' semantics (0.0 == -0.0)
      Integer[] expected = IntStream.range(0, n).boxed().toArray(Integer[]::new);
      Arrays.sort(expected, Comparator.comparingDouble(i -> key[i] == 0.0 ? 0.0 : key[i]));
      assertArrayEquals(
          Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), idx, "n=" + n);
    }
  }

  @Test
  void shouldFollowTheVocAllPointDefinition() {
    // scores 0.9 TP, 0.8 FP, 0.7 TP with 4 instances: (1 + 2/3) / 4
    double ap =
        AveragePrecision.of(new double[] {0.8, 0.9, 0.7}, new boolean[] {false, true, true}, 3, 4);
    assertEquals((1 + 2.0 / 3) / 4, ap, 1e-15);
    assertTrue(Double.isNaN(AveragePrecision.of(new double[0], new boolean[0], 0, 0)));
    assertEquals(0.0, AveragePrecision.of(new double[0], new boolean[0], 0, 3));
  }
}
