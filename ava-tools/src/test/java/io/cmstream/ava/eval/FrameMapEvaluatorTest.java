package io.cmstream.ava.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.format.AvaFormatException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rule of the reference evaluator, each on a tiny case with an answer computed by hand. */
class FrameMapEvaluatorTest {
  static final String A = "0.1,0.1,0.5,0.5";
  static final String B = "0.6,0.1,0.9,0.9";
  static final String C = "0.2,0.6,0.4,0.9";
  static final double EPS = 1e-12;

  @TempDir Path dir;

  EvalCase c() {
    return new EvalCase(dir);
  }

  @Test
  void shouldScorePerfectDetectionsAsOne() {
    FrameMapResult r =
        c().labels(1, 2)
            .gt("v,0902", A, 1, 0)
            .gt("v,0902", B, 2, 1)
            .det("v,0902", A, 1, 0.9)
            .det("v,0902", B, 2, 0.8)
            .evaluate();
    assertEquals(1.0, r.meanAp(), EPS);
    assertEquals(1.0, r.classAp(1).ap(), EPS);
  }

  @Test
  void shouldDropGroundTruthAndDetectionsOfClassesOutsideTheLabelMap() {
    // class 7 is not in the map: its ground truth is not missed, its detection is no false positive
    FrameMapResult r =
        c().labels(1)
            .gt("v,0902", A, 1, 0)
            .gt("v,0902", B, 7, 1)
            .det("v,0902", B, 7, 0.99)
            .det("v,0902", A, 1, 0.5)
            .evaluate();
    assertEquals(1, r.perClass().size());
    assertEquals(1.0, r.classAp(1).ap(), EPS);
    assertEquals(1, r.classAp(1).groundTruth());
  }

  @Test
  void shouldKeepTheTop50DetectionsPerKeyframeAcrossClassesNotPerClass() {
    // 50 class-2 rows outscore the only class-1 row, which falls out: class 1 has AP 0
    EvalCase k = c().labels(1, 2).gt("v,0902", A, 1, 0);
    for (int i = 0; i < 50; i++) {
      k.det("v,0902", B, 2, 0.9 - i * 0.001);
    }
    k.det("v,0902", A, 1, 0.1);
    FrameMapResult r = k.evaluate();
    assertEquals(0.0, r.classAp(1).ap(), EPS);
    assertFalse(r.classAp(2).hasAp());
    assertEquals(0.0, r.meanAp(), EPS);
  }

  @Test
  void shouldKeepARowWhenOnly49OthersOutscoreIt() {
    EvalCase k = c().labels(1, 2).gt("v,0902", A, 1, 0);
    for (int i = 0; i < 49; i++) {
      k.det("v,0902", B, 2, 0.9 - i * 0.001);
    }
    k.det("v,0902", A, 1, 0.1);
    assertEquals(1.0, k.evaluate().classAp(1).ap(), EPS);
  }

  @Test
  void shouldChooseTheTop50AfterDroppingClassesOutsideTheLabelMap() {
    EvalCase k = c().labels(1).gt("v,0902", A, 1, 0);
    for (int i = 0; i < 60; i++) {
      k.det("v,0902", B, 9, 0.9 - i * 0.001);
    }
    k.det("v,0902", A, 1, 0.1);
    assertEquals(1.0, k.evaluate().classAp(1).ap(), EPS);
  }

  @Test
  void shouldRemoveExcludedKeyframesFromGroundTruthAndDetections() {
    // without the exclusion: class 1 has 2 instances, one found (0.9 FP at 0903 first) -> AP 0.25
    EvalCase k =
        c().labels(1)
            .gt("v,0902", A, 1, 0)
            .gt("v,0903", A, 1, 0)
            .det("v,0903", B, 1, 0.9)
            .det("v,0902", A, 1, 0.8);
    assertEquals(0.25, k.evaluate().classAp(1).ap(), EPS);
    FrameMapResult r = k.exclude("v,0903").evaluate();
    assertEquals(1.0, r.classAp(1).ap(), EPS);
    assertEquals(1, r.classAp(1).groundTruth());
    assertEquals(1, r.counts().excludedKeys());
  }

  @Test
  void shouldDropZeroAreaDetectionsAfterTheyTookOneOfThe50Places() {
    // class 2: a zero-area row (0.99) is dropped, not a false positive: AP 1 (0.5 if it counted).
    // It still took a place: with 48 class-3 rows and the class-2 hit, the class-1 row is the 51st.
    EvalCase k =
        c().labels(1, 2, 3)
            .gt("v,0902", A, 1, 0)
            .gt("v,0902", B, 2, 1)
            .det("v,0902", "0.6,0.1,0.6,0.9", 2, 0.99)
            .det("v,0902", B, 2, 0.98);
    for (int i = 0; i < 48; i++) {
      k.det("v,0902", C, 3, 0.9 - i * 0.001);
    }
    k.det("v,0902", A, 1, 0.1);
    FrameMapResult r = k.evaluate();
    assertEquals(1.0, r.classAp(2).ap(), EPS);
    assertEquals(0.0, r.classAp(1).ap(), EPS);
    assertFalse(r.classAp(3).hasAp());
    assertEquals(0.5, r.meanAp(), EPS);
    assertEquals(1, r.classAp(2).detections());
  }

  @Test
  void shouldDropInvertedDetectionBoxes() {
    FrameMapResult r =
        c().labels(1)
            .gt("v,0902", A, 1, 0)
            .det("v,0902", "0.5,0.1,0.1,0.5", 1, 0.9)
            .det("v,0902", A, 1, 0.8)
            .evaluate();
    assertEquals(1.0, r.classAp(1).ap(), EPS);
  }

  @Test
  void shouldCompareOnlyWithTheHighestIouBoxEvenWhenAnotherUnmatchedBoxOverlaps() {
    // G1 = x[0,0.6], G2 = x[0.2,0.8]; d2 = x[0.05,0.65]: IoU 0.846 with G1 (taken by d1), 0.6 with
    // G2 (free): still a false positive. tp = [1, 0], 2 instances -> AP = 0.5 * 1 = 0.5
    FrameMapResult r =
        c().labels(1)
            .gt("v,0902", "0,0,0.6,1", 1, 0)
            .gt("v,0902", "0.2,0,0.8,1", 1, 1)
            .det("v,0902", "0,0,0.6,1", 1, 0.9)
            .det("v,0902", "0.05,0,0.65,1", 1, 0.8)
            .evaluate();
    assertEquals(0.5, r.classAp(1).ap(), EPS);
  }

  @Test
  void shouldMatchEachGroundTruthBoxOnce() {
    // two detections on one box: TP then FP -> precision [1, 0.5], recall [1, 1] -> AP 1
    // but with two instances of which one is never found: AP 0.5
    FrameMapResult r =
        c().labels(1)
            .gt("v,0902", A, 1, 0)
            .gt("v,0902", B, 1, 1)
            .det("v,0902", A, 1, 0.9)
            .det("v,0902", A, 1, 0.8)
            .evaluate();
    assertEquals(0.5, r.classAp(1).ap(), EPS);
  }

  @Test
  void shouldMatchAtIouExactlyOneHalfWithoutAPixelTerm() {
    // G = (0,0,0.5,1), area 0.5; D = (0,0,0.25,1): IoU = 0.25 / 0.5 = 0.5 exactly -> match
    assertEquals(
        1.0,
        c().labels(1)
            .gt("v,0902", "0,0,0.5,1", 1, 0)
            .det("v,0902", "0,0,0.25,1", 1, 0.9)
            .evaluate()
            .classAp(1)
            .ap(),
        EPS);
    // D = (0,0,0.24,1): IoU 0.48 -> no match
    assertEquals(
        0.0,
        c().labels(1)
            .gt("v,0902", "0,0,0.5,1", 1, 0)
            .det("v,0902", "0,0,0.24,1", 1, 0.9)
            .evaluate()
            .classAp(1)
            .ap(),
        EPS);
  }

  @Test
  void shouldComputeAllPointInterpolatedAp() {
    // 3 instances; by score: TP FP TP FP TP. precision 1, 1/2, 2/3, 1/2, 3/5; recall 1/3 .. 1.
    // monotone precision at the recall steps: 1, 2/3, 3/5 -> AP = (1 + 2/3 + 3/5) / 3 = 34/45
    FrameMapResult r =
        c().labels(1)
            .gt("v,0902", A, 1, 0)
            .gt("v,0903", A, 1, 0)
            .gt("v,0904", A, 1, 0)
            .det("v,0902", A, 1, 0.9)
            .det("v,0902", B, 1, 0.8)
            .det("v,0903", A, 1, 0.7)
            .det("v,0903", B, 1, 0.6)
            .det("v,0904", A, 1, 0.5)
            .evaluate();
    assertEquals(34.0 / 45.0, r.classAp(1).ap(), EPS);
  }

  @Test
  void shouldGiveNoApToClassesWithoutGroundTruthAndZeroToClassesWithoutDetections() {
    FrameMapResult r =
        c().labels(1, 2, 3)
            .gt("v,0902", A, 1, 0)
            .gt("v,0902", B, 2, 1)
            .det("v,0902", A, 1, 0.9)
            .det("v,0902", C, 3, 0.7)
            .evaluate();
    assertEquals(1.0, r.classAp(1).ap(), EPS);
    assertEquals(0.0, r.classAp(2).ap(), EPS);
    assertFalse(r.classAp(3).hasAp());
    assertEquals(0.5, r.meanAp(), EPS);
    @SuppressWarnings("unchecked")
    Map<String, Object> c3 =
        (Map<String, Object>) ((Map<String, Object>) r.toJsonTree().get("per_class")).get("3");
    assertTrue(c3.containsKey("ap") && c3.get("ap") == null);
  }

  @Test
  void shouldCountDetectionsOfKeyframesWithoutGroundTruthAsFalsePositives() {
    EvalCase k =
        c().labels(1).gt("v,0902", A, 1, 0).det("w,0902", A, 1, 0.9).det("v,0902", A, 1, 0.8);
    assertEquals(0.5, k.evaluate().classAp(1).ap(), EPS);
    // the ActivityNet evaluator since 2020 ignores keyframes that are not in the ground-truth file
    assertEquals(1.0, k.evaluate(new FrameMapEvaluator.Options(1, true)).classAp(1).ap(), EPS);
  }

  @Test
  void shouldTreatEachBoxActionPairOfAPersonAsOneInstance() {
    // one person doing actions 1 and 2: one instance per class, both found
    FrameMapResult r =
        c().labels(1, 2)
            .gt("v,0902", A, 1, 0)
            .gt("v,0902", A, 2, 0)
            .det("v,0902", A, 1, 0.9)
            .det("v,0902", A, 2, 0.8)
            .evaluate();
    assertEquals(1.0, r.meanAp(), EPS);
    assertEquals(1, r.classAp(1).groundTruth());
    // a repeated row is a second instance (the reference counts rows): only one can be found
    FrameMapResult dup =
        c().labels(1)
            .gt("v,0902", A, 1, 0)
            .gt("v,0902", A, 1, 0)
            .det("v,0902", A, 1, 0.9)
            .evaluate();
    assertEquals(0.5, dup.classAp(1).ap(), EPS);
  }

  @Test
  void shouldNotTakeARowWhoseScoreOnlyEqualsTheSmallestKept() {
    EvalCase k = c().labels(1, 2).gt("v,0902", A, 1, 0);
    for (int i = 0; i < 50; i++) {
      k.det("v,0902", B, 2, 0.5);
    }
    k.det("v,0902", A, 1, 0.5);
    assertEquals(0.0, k.evaluate().classAp(1).ap(), EPS);
  }

  @Test
  void shouldEvictTheSmallestTupleOnScoreTiesAtTheCut() {
    // 50 rows at 0.5 (class 1 has the smallest action id, so its tuple is the heap root), then a
    // row at 0.6 replaces the root: the class-1 row is evicted although it came first
    EvalCase k = c().labels(1, 2, 3).gt("v,0902", A, 1, 0).det("v,0902", A, 1, 0.5);
    for (int i = 0; i < 49; i++) {
      k.det("v,0902", B, 3, 0.5);
    }
    k.det("v,0902", C, 2, 0.6);
    assertEquals(0.0, k.evaluate().classAp(1).ap(), EPS);
  }

  @Test
  void shouldOrderEqualScoresLaterFirstAsStableSortReversed() {
    // equal scores in two keyframes: the TP (first key) is ranked after the FP -> AP 0.5
    FrameMapResult r =
        c().labels(1)
            .gt("v,0902", A, 1, 0)
            .det("v,0902", A, 1, 0.7)
            .det("v,0903", A, 1, 0.7)
            .evaluate();
    assertEquals(0.5, r.classAp(1).ap(), EPS);
  }

  @Test
  void shouldBreakEqualIouTiesByTheReferencesGroundTruthOrderOfDescendingPersonId() {
    // d1 = x[0.125,0.625] has IoU exactly 0.6 with both L = x[0,0.5] and R = x[0.25,0.75];
    // d2 = R. The reference orders a keyframe's ground truth by descending person id (it reads
    // that column as a score), and argmax takes the first: the box of the higher person id.
    String left = "0,0,0.5,1";
    String right = "0.25,0,0.75,1";
    // R is person 1: d1 takes R, d2 finds R matched -> FP: AP = 1/2
    assertEquals(
        0.5,
        c().labels(1)
            .gt("v,0902", left, 1, 0)
            .gt("v,0902", right, 1, 1)
            .det("v,0902", "0.125,0,0.625,1", 1, 0.9)
            .det("v,0902", right, 1, 0.8)
            .evaluate()
            .classAp(1)
            .ap(),
        EPS);
    // L is person 1: d1 takes L, d2 takes R: AP = 1
    assertEquals(
        1.0,
        c().labels(1)
            .gt("v,0902", left, 1, 1)
            .gt("v,0902", right, 1, 0)
            .det("v,0902", "0.125,0,0.625,1", 1, 0.9)
            .det("v,0902", right, 1, 0.8)
            .evaluate()
            .classAp(1)
            .ap(),
        EPS);
  }

  @Test
  void shouldGiveTheSameResultOnOneThreadAndOnMany() {
    EvalCase k = c().labels(1, 2, 3);
    java.util.Random rnd = new java.util.Random(7);
    for (int t = 0; t < 40; t++) {
      String key = "v" + (t % 3) + "," + (902 + t);
      k.gt(key, A, 1 + t % 3, 0).gt(key, B, 1 + (t + 1) % 3, 1);
      for (int i = 0; i < 60; i++) {
        k.det(key, rnd.nextBoolean() ? A : B, 1 + rnd.nextInt(3), rnd.nextDouble());
      }
    }
    FrameMapResult one = k.evaluate(new FrameMapEvaluator.Options(1, false));
    FrameMapResult four = k.evaluate(new FrameMapEvaluator.Options(4, false));
    assertEquals(one, four);
  }

  @Test
  void shouldNameFileAndLineOfBadDetectionRows() {
    EvalCase k = c().labels(1).gt("v,0902", A, 1, 0).det("v,0902", A, 1, 0.5);
    k.write();
    AvaFormatException e =
        assertThrows(
            AvaFormatException.class,
            () ->
                new FrameMapEvaluator()
                    .evaluate(
                        k.file("lm.pbtxt"),
                        k.file("gt.csv"),
                        write("bad.csv", "v,0902,0.1,0.1,0.5,0.5,1,0.5\nv,0902,0.1,0.1,0.5,0.5\n"),
                        null,
                        EvalProgress.NONE));
    assertEquals(
        dir.resolve("bad.csv")
            + ":2: expected 2, 7 or 8 columns (video_id,timestamp[,x1,y1,x2,y2,action_id[,score]]), found 6",
        e.getMessage());
    e =
        assertThrows(
            AvaFormatException.class,
            () ->
                new FrameMapEvaluator()
                    .evaluate(
                        k.file("lm.pbtxt"),
                        write(
                            "gt2.csv",
                            "v,0902,0.1,0.1,0.5,0.5,1,0\n\nv,0902,0.1,0.1,0.5,0.5,x,0\n"),
                        k.file("det.csv"),
                        null,
                        EvalProgress.NONE));
    assertEquals(dir.resolve("gt2.csv") + ":3: bad action_id 'x': not an integer", e.getMessage());
  }

  @Test
  void shouldEvaluateRowsInMemoryLikeTheSameRowsInFiles() {
    Path sample = Path.of("..", "samples", "ava");
    io.cmstream.common.format.LabelMap labels =
        io.cmstream.common.format.LabelMapPbtxt.read(sample.resolve("labelmap.pbtxt"));
    FrameMapResult inMemory =
        new FrameMapEvaluator()
            .evaluate(
                labels,
                io.cmstream.ava.format.GroundTruthCsv.read(sample.resolve("groundtruth.csv")),
                io.cmstream.ava.format.DetectionsCsv.read(sample.resolve("detections.csv")),
                io.cmstream.ava.format.ExclusionsCsv.read(sample.resolve("exclusions.csv")));
    FrameMapResult files =
        new FrameMapEvaluator()
            .evaluate(
                sample.resolve("labelmap.pbtxt"),
                sample.resolve("groundtruth.csv"),
                sample.resolve("detections.csv"),
                sample.resolve("exclusions.csv"),
                EvalProgress.NONE);
    assertEquals(files.perClass(), inMemory.perClass());
    assertEquals(121.0 / 180.0, inMemory.meanAp(), EPS);
  }

  private Path write(String name, String text) {
    try {
      return java.nio.file.Files.writeString(dir.resolve(name), text);
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
  }
}
