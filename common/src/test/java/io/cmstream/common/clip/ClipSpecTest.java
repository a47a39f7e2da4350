package io.cmstream.common.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cmstream.schemas.manifest.ModelManifest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipSpecTest {

  @Test
  void shouldCentreClipOnKeyframeWithKeyframeAtPositionHalfT() {
    ClipSpec spec = ClipSpec.of(4, 2, 8, 64);
    // second 3 at 8 fps -> centre frame 24; span 8 -> start 20
    assertArrayEquals(new int[] {20, 22, 24, 26}, spec.frameIndices(3, 100));
    assertEquals(24, spec.frameIndices(3, 100)[spec.frames() / 2]);
  }

  @Test
  void shouldCoverExactlyOneSecondWhenSpanEqualsFps() {
    ClipSpec spec = ClipSpec.of(8, 1, 8, 64);
    int[] idx = spec.frameIndices(5, 1000);
    for (int i : idx) assertEquals(5, spec.secondOfFrame(i));
    assertEquals(36, idx[0]);
    assertEquals(43, idx[7]);
  }

  @Test
  void shouldRepeatEdgeFramesAtVideoBorders() {
    ClipSpec spec = ClipSpec.of(4, 2, 8, 64);
    assertArrayEquals(new int[] {0, 0, 0, 2}, spec.frameIndices(0, 20));
    // 20 frames: last index 19; second 2 -> centre 16 -> 12,14,16,18
    assertArrayEquals(new int[] {12, 14, 16, 18}, spec.frameIndices(2, 20));
    assertArrayEquals(new int[] {16, 18, 19, 19}, spec.frameIndices(2.5, 20));
    assertArrayEquals(new int[] {0, 0, 0, 0}, spec.frameIndices(0, 1));
  }

  @Test
  void shouldResizeShortSideLikePySlowFast() {
    ClipSpec spec = ClipSpec.of(4, 2, 8, 64);
    assertArrayEquals(new int[] {85, 64}, spec.evalSize(160, 120));
    assertArrayEquals(new int[] {64, 85}, spec.evalSize(120, 160));
  }

  @Test
  void shouldRejectOutOfRangeSettings() {
    assertThrows(IllegalArgumentException.class, () -> ClipSpec.of(0, 1, 8, 64));
    assertThrows(IllegalArgumentException.class, () -> ClipSpec.of(4, 0, 8, 64));
    assertThrows(IllegalArgumentException.class, () -> ClipSpec.of(4, 1, 0, 64));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ClipSpec(4, 1, 8, 64, 0, new float[] {0.5f, 0.5f, 0.5f}, new float[] {1, 0, 1}));
  }

  @Test
  void shouldTakeEverySettingFromABundleManifest() {
    ModelManifest.Clip clip =
        new ModelManifest.Clip(4, 2, 8.0, 96, 80, List.of(0.4, 0.5, 0.6), List.of(0.2, 0.25, 0.3));

    ClipSpec spec = ClipSpec.of(clip);

    float[] mean = {0.4f, 0.5f, 0.6f};
    float[] std = {0.2f, 0.25f, 0.3f};
    assertEquals(new ClipSpec(4, 2, 8.0, 96, 80, mean, std), spec);
  }
}
