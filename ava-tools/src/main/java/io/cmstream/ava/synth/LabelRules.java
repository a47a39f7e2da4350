package io.cmstream.ava.synth;

import java.util.Optional;

/**
 * The cue rules: the interaction label of a person who gestures at second {@code t}, from the scene
 * lights of the seconds around it. RED at t-1 or t-2: reply_to_red; GREEN at t-1 or t-2:
 * reply_to_green; BLUE at t+1 or t+2: summon_blue; otherwise none. The generator guarantees that at
 * most one light falls in [t-2, t+2] of any gesture and none at t itself.
 */
public final class LabelRules {
  private LabelRules() {}

  /**
   * @param cues light of each second of the video (null = none)
   * @param t the gesture second
   */
  public static Optional<ActionClass> interaction(Cue[] cues, int t) {
    for (int d = 1; d <= 2; d++) {
      Cue before = at(cues, t - d);
      if (before == Cue.RED) return Optional.of(ActionClass.REPLY_TO_RED);
      if (before == Cue.GREEN) return Optional.of(ActionClass.REPLY_TO_GREEN);
      if (at(cues, t + d) == Cue.BLUE) return Optional.of(ActionClass.SUMMON_BLUE);
    }
    return Optional.empty();
  }

  private static Cue at(Cue[] cues, int s) {
    return s >= 0 && s < cues.length ? cues[s] : null;
  }
}
