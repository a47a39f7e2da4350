package io.cmstream.ava.synth;

import io.cmstream.ava.clip.RgbImage;
import io.cmstream.ava.format.Box;
import java.util.Comparator;
import java.util.List;

/** Renders the frames of a {@link Scenario} and the actors' person boxes. */
public final class FrameRenderer {
  private final Scenario scenario;

  public FrameRenderer(Scenario scenario) {
    this.scenario = scenario;
  }

  /**
   * The light visible at frame {@code f}: during the central half of its second (|f - s*fps| <=
   * fps/4).
   */
  public Cue cueAt(int frame) {
    int s = scenario.secondOf(frame);
    Cue c = scenario.cues()[s];
    return c != null && Math.abs(frame - s * scenario.fps()) <= scenario.fps() / 4 ? c : null;
  }

  /**
   * Frame {@code f}: background (tinted and framed by the light, if any), then actors back to
   * front.
   */
  public RgbImage render(int frame) {
    RgbImage bg = scenario.background();
    int w = bg.width();
    int h = bg.height();
    byte[] px = bg.rgb().clone();
    Cue cue = cueAt(frame);
    if (cue != null) {
      int[] c = cue.rgb();
      int border = Math.max(2, (int) Math.round(6 * h / 120.0));
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          boolean edge = x < border || y < border || x >= w - border || y >= h - border;
          for (int k = 0; k < 3; k++) {
            px[o + k] = (byte) (edge ? c[k] : ((px[o + k] & 0xff) * 55 + c[k] * 45) / 100);
          }
        }
      }
    }
    List<Scenario.Actor> order =
        scenario.actors().stream()
            .sorted(Comparator.comparingDouble(Scenario.Actor::baseY))
            .toList();
    for (Scenario.Actor a : order) ActorShape.of(scenario, a, frame).draw(px, w, h);
    return new RgbImage(w, h, px);
  }

  /** The person box of {@code actor} at keyframe second {@code second} (normalised, 3 decimals). */
  public Box box(Scenario.Actor actor, int second) {
    double[] e = ActorShape.of(scenario, actor, second * scenario.fps()).extent();
    int w = scenario.width();
    int h = scenario.height();
    return new Box(round3(e[0] / w), round3(e[1] / h), round3(e[2] / w), round3(e[3] / h));
  }

  static double round3(double v) {
    return Math.round(Math.max(0, Math.min(1, v)) * 1000) / 1000.0;
  }
}
