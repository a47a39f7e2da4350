package io.cmstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClipStatisticsViewsTest {
  @Test
  void shouldParseWholeFramesAndCrops() {
    assertEquals(new ClipStatistics.Views(true, 0), ClipStatistics.Views.parse("full"));
    assertEquals(ClipStatistics.Views.ONE_CROP, ClipStatistics.Views.parse("crop"));
    assertEquals(new ClipStatistics.Views(true, 1), ClipStatistics.Views.parse("full+crop"));
    assertEquals(new ClipStatistics.Views(true, 3), ClipStatistics.Views.parse(" Full+3crops "));
    assertEquals(new ClipStatistics.Views(false, 3), ClipStatistics.Views.parse("2crops+crop"));
    assertEquals(4, ClipStatistics.Views.parse("full+3crops").count());
    assertEquals("full+2crops", ClipStatistics.Views.parse("full+2crops").toString());
  }

  @Test
  void shouldRejectNoViewAndUnknownViews() {
    assertThrows(IllegalArgumentException.class, () -> ClipStatistics.Views.parse("0crops"));
    assertThrows(IllegalArgumentException.class, () -> ClipStatistics.Views.parse("full+full"));
    assertThrows(IllegalArgumentException.class, () -> ClipStatistics.Views.parse("zoom"));
    assertThrows(IllegalArgumentException.class, () -> ClipStatistics.Views.parse(""));
  }
}
