package io.cmstream.ava.clip;

import io.cmstream.common.window.WindowSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The keyframe seconds whose clips feed the memory of second {@code t}: {@code [t-back, t+ahead]}
 * clipped to the seconds the video has ({@code [firstSecond, lastSecond]}). A centred window of N
 * clips is {@link WindowSpan#centred(int)} (N = 5: t-2..t+2).
 */
public final class KeyframeWindow {
  private KeyframeWindow() {}

  /**
   * One second of a window.
   *
   * @param second keyframe second
   * @param offset second - t
   * @param labelled whether that second has annotations (carries its own loss in training)
   */
  public record Slot(int second, int offset, boolean labelled) {}

  /** The seconds of {@code [t-back, t+ahead]} inside {@code [firstSecond, lastSecond]}. */
  public static List<Slot> around(
      int t, int back, int ahead, int firstSecond, int lastSecond, IntPredicate labelled) {
    if (back < 0 || ahead < 0) throw new IllegalArgumentException("window back/ahead must be >= 0");
    List<Slot> slots = new ArrayList<>(back + ahead + 1);
    for (int s = Math.max(firstSecond, t - back); s <= Math.min(lastSecond, t + ahead); s++) {
      slots.add(new Slot(s, s - t, labelled.test(s)));
    }
    return slots;
  }

  /** The N keyframe seconds centred on {@code t}, clipped to the video. */
  public static List<Slot> centred(
      int t, int n, int firstSecond, int lastSecond, IntPredicate labelled) {
    WindowSpan span = WindowSpan.centred(n);
    return around(t, span.back(), span.ahead(), firstSecond, lastSecond, labelled);
  }
}
