package io.cmstream.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.format.GroundTruthCsv;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.ava.synth.SynthConfig;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDemoVideoTest {
  @Test
  void shouldGiveEveryClassGroundTruthInTheDefaultVideo(@TempDir Path dir) {
    DemoInput in =
        SyntheticDemoVideo.generate(
            dir,
            SyntheticDemoVideo.DEFAULT_SEED,
            SyntheticDemoVideo.DEFAULT_SECONDS,
            SynthConfig.DEFAULT_FPS);
    LabelMap labels = LabelMapPbtxt.read(in.labelMap());
    Map<Integer, Integer> positives = new TreeMap<>();
    for (GroundTruthRow r : GroundTruthCsv.read(in.groundTruth())) {
      if (r.key().videoId().equals(in.streamId())) positives.merge(r.actionId(), 1, Integer::sum);
    }
    for (int id : labels.ids()) {
      // the light-cued classes need a few persons each for their AP (and the memory's part in it)
      // to mean something
      assertTrue(
          positives.getOrDefault(id, 0) >= 3,
          labels.name(id) + " has ground truth in the demo video: " + positives);
    }
  }

  @Test
  void shouldTellWhetherABundleHasTheSyntheticClasses() {
    LabelMap synth = LabelMap.of(new LabelMap.Label(1, "stand"), new LabelMap.Label(2, "walk"));
    assertTrue(
        DemoCommand.sameClasses(
            synth, LabelMap.of(new LabelMap.Label(2, "walk"), new LabelMap.Label(1, "stand"))));
    assertFalse(
        DemoCommand.sameClasses(
            synth, LabelMap.of(new LabelMap.Label(1, "stand"), new LabelMap.Label(2, "sit"))));
    assertFalse(DemoCommand.sameClasses(synth, LabelMap.of(new LabelMap.Label(1, "stand"))));
    assertEquals(2, synth.size());
  }
}
