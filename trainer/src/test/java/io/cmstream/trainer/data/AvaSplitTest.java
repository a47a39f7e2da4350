package io.cmstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.format.FrameKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvaSplitTest {
  @TempDir Path dir;

  @Test
  void shouldReadTheLayoutWithLabelsAndThresholdedProposals() throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "train", 0.8, true);
    assertEquals(2, s.videos().size());
    assertEquals(TinyAvaFixture.SECONDS * TinyAvaFixture.FPS, s.videos().get("vidA").frameCount());
    assertArrayEquals(new int[] {1, 2}, s.classIds());
    assertEquals(10, s.labelledKeys().size());
    List<LabelledBox> boxes = s.trainingBoxes(new FrameKey("vidA", 1));
    // 2 ground truth + 2 proposals above 0.8 (the 0.3 one is dropped), proposals take GT labels
    assertEquals(4, boxes.size());
    assertArrayEquals(new float[] {1, 0}, boxes.get(2).targets());
    assertArrayEquals(new float[] {0, 1}, boxes.get(3).targets());
    assertEquals(0, s.timeOffset());
    assertArrayEquals(new int[] {0, 5}, s.secondRange("vidA", TinyAvaFixture.FPS));
  }

  @Test
  void shouldEvaluateOnTheProposalsOrOnTheGroundTruthBoxes() throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "val", 0.5, false);
    FrameKey k = new FrameKey("vidC", 1);
    // the proposals above the threshold (their boxes equal the fixture's ground truth here, their
    // scores do not)
    assertEquals(
        List.of(0.95, 0.9), s.evaluationBoxes().get(k).stream().map(LabelledBox::score).toList());
    AvaSplit gt = s.withGroundTruthBoxes();
    assertEquals(s.groundTruth(k), gt.evaluationBoxes().get(k));
    assertEquals(
        List.of(1.0, 1.0), gt.evaluationBoxes().get(k).stream().map(LabelledBox::score).toList());
    assertEquals(s.evaluationBoxes().keySet(), gt.evaluationBoxes().keySet());
    assertTrue(gt.proposals(k).isEmpty());
  }

  @Test
  void shouldSeeWholeFramesWithUntouchedBoxesInTheFullFrameView() throws IOException {
    AvaSplit s = AvaSplit.load(TinyAvaFixture.write(dir), "train", 0.8, true);
    io.cmstream.common.clip.ClipSpec spec =
        new io.cmstream.common.clip.ClipSpec(
            4,
            2,
            TinyAvaFixture.FPS,
            32,
            32,
            io.cmstream.common.clip.ClipSpec.DEFAULT_MEAN,
            io.cmstream.common.clip.ClipSpec.DEFAULT_STD);
    BatchAssembler a = new BatchAssembler(s, spec);
    List<TrainingWindow> windows =
        new WindowSampler(s, 1, TinyAvaFixture.FPS, WindowSampling.TILED)
            .epoch(new java.util.Random(0))
            .subList(0, 3);
    ClipBatch full = a.fullFrame(windows);
    int[] eval = spec.evalSize(64, 48);
    assertEquals(eval[0], full.width());
    assertEquals(eval[1], full.height());
    ClipBatch again = a.fullFrame(windows);
    assertArrayEquals(full.boxes(), again.boxes());
    // no crop and no flip: every box keeps its source coordinates (the fixture's boxes are RED and
    // BLUE)
    float[] red = new LabelledBox(TinyAvaFixture.RED, new float[0], 1).coords();
    float[] blue = new LabelledBox(TinyAvaFixture.BLUE, new float[0], 1).coords();
    assertTrue(full.boxes().length >= 12);
    for (int i = 0; i < full.boxes().length; i += 4) {
      float[] b = java.util.Arrays.copyOfRange(full.boxes(), i, i + 4);
      assertTrue(near(b, red) || near(b, blue), java.util.Arrays.toString(b));
    }
    ClipBatch crop = a.training(windows, new java.util.Random(1));
    assertEquals(32, crop.width());
  }

  private static boolean near(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-5f) {
        return false;
      }
    }
    return true;
  }

  @Test
  void shouldNameTheMissingFile() throws IOException {
    TinyAvaFixture.write(dir);
    Files.delete(dir.resolve("annotations/ava_train_v2.2.csv"));
    DatasetException e =
        assertThrows(DatasetException.class, () -> AvaSplit.load(dir, "train", 0.8, true));
    assertTrue(
        e.getMessage().contains("missing file annotations/ava_train_v2.2.csv"), e.getMessage());
  }

  @Test
  void shouldNameAMissingFrameFile() throws IOException {
    TinyAvaFixture.write(dir);
    Files.delete(dir.resolve("frames/vidB/vidB_000048.jpg"));
    DatasetException e =
        assertThrows(DatasetException.class, () -> AvaSplit.load(dir, "train", 0.8, true));
    assertTrue(
        e.getMessage().contains("missing frame file frames/vidB/vidB_000048.jpg"), e.getMessage());
  }

  @Test
  void shouldRejectALabelMapThatDoesNotMatchTheAnnotations() throws IOException {
    TinyAvaFixture.write(dir);
    Path lm = dir.resolve("annotations/ava_action_list_v2.2_for_activitynet_2019.pbtxt");
    Files.writeString(lm, "item { name: \"red\" id: 1 }\n");
    DatasetException e =
        assertThrows(DatasetException.class, () -> AvaSplit.load(dir, "train", 0.8, true));
    assertTrue(
        e.getMessage().contains("action id 2") && e.getMessage().contains("do not match"),
        e.getMessage());
    Files.writeString(
        lm,
        "item { name: \"red\" id: 1 }\nitem { name: \"blue\" id: 2 }\nitem { name: \"green\" id: 3 }\n");
    e = assertThrows(DatasetException.class, () -> AvaSplit.load(dir, "train", 0.8, true));
    assertTrue(e.getMessage().contains("[3] never occur"), e.getMessage());
  }
}
