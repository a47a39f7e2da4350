package io.cmstream.ava.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScenarioGeneratorTest {

  @Test
  void shouldKeepEveryClassBetweenThreeAndSixtyPercentInTheDefaultDataset() {
    SynthConfig config = SynthConfig.defaults(0);
    ScenarioGenerator gen = new ScenarioGenerator(config);
    int[] counts = new int[ActionClass.values().length];
    int total = 0;
    for (int v = 0; v < config.videos(); v++) {
      Scenario sc = gen.generate(v);
      for (Scenario.Actor a : sc.actors()) {
        for (int t = config.firstKeyframe(); t <= config.lastKeyframe(); t++) {
          total++;
          counts[ActionClass.of(a.poses()[t]).ordinal()]++;
          if (a.gestures()[t])
            LabelRules.interaction(sc.cues(), t).ifPresent(c -> counts[c.ordinal()]++);
        }
      }
    }
    for (ActionClass c : ActionClass.values()) {
      double share = counts[c.ordinal()] / (double) total;
      assertTrue(share >= 0.03 && share <= 0.60, c + " share " + share);
    }
  }

  @Test
  void shouldApplyTheCueRulesByDirection() {
    Cue[] cues = new Cue[10];
    cues[3] = Cue.RED;
    assertEquals(Optional.of(ActionClass.REPLY_TO_RED), LabelRules.interaction(cues, 4));
    assertEquals(Optional.of(ActionClass.REPLY_TO_RED), LabelRules.interaction(cues, 5));
    assertEquals(Optional.empty(), LabelRules.interaction(cues, 6));
    assertEquals(
        Optional.empty(), LabelRules.interaction(cues, 2)); // a red light after does not count
    cues[3] = Cue.BLUE;
    assertEquals(Optional.of(ActionClass.SUMMON_BLUE), LabelRules.interaction(cues, 1));
    assertEquals(Optional.empty(), LabelRules.interaction(cues, 4));
  }

  @Test
  void shouldShowLightsOnlyInTheMiddleHalfOfTheirSecond() {
    SynthConfig config = new SynthConfig(3, 2, 20, 8, 64, 48, 1, 0.9f);
    Scenario sc = new ScenarioGenerator(config).generate(0);
    FrameRenderer r = new FrameRenderer(sc);
    int lit = 0;
    for (int f = 0; f < sc.frames(); f++) {
      int s = sc.secondOf(f);
      if (r.cueAt(f) != null) {
        lit++;
        assertTrue(Math.abs(f - s * 8) <= 2);
      }
      // no light is visible in the one-second clip of a gesture second
      if (sc.actors().get(0).gestures()[s]) assertNull(r.cueAt(f));
    }
    long lights = java.util.Arrays.stream(sc.cues()).filter(c -> c != null).count();
    assertEquals(lights * 5, lit);
  }
}
