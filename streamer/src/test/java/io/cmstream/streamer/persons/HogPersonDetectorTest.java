package io.cmstream.streamer.persons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class HogPersonDetectorTest {

  private static void assertAround(PersonBox box, double cx, double top, double bottom) {
    assertTrue(box.x1() < cx && cx < box.x2(), "box " + box + " spans the person horizontally");
    assertTrue(
        box.y1() <= top + 0.05 && box.y2() >= bottom - 0.05, "box " + box + " spans head to feet");
    assertTrue(
        box.height() < 2.0 * (bottom - top), "box " + box + " is not much taller than the person");
  }

  @Test
  void shouldFindAnUprightSilhouetteWithABoxAroundIt() {
    Mat img = Silhouettes.empty(320, 240);
    Silhouettes.drawPerson(img, 150, 200, 100);
    try (HogPersonDetector hog = new HogPersonDetector(HogSettings.defaults())) {
      List<PersonBox> boxes = hog.detect(img);
      assertEquals(1, boxes.size(), "one person: " + boxes);
      assertAround(boxes.get(0), 150 / 320.0, 100 / 240.0, 200 / 240.0);
      assertTrue(boxes.get(0).score() > 0.5);
    }
  }

  @Test
  void shouldFindASmallWalkerThanksToTheUpscaledKeyframe() {
    // 50 px tall: smaller than HOG's 64x128 window; found only because the keyframe is upscaled
    Mat img = Silhouettes.empty(240, 180);
    Silhouettes.drawPerson(img, 100, 120, 50);
    HogSettings noUpscale = new HogSettings(1.0, 1280, 8, 8, 1.05, 0, 1, 0.45, 0);
    try (HogPersonDetector plain = new HogPersonDetector(noUpscale);
        HogPersonDetector upscaled = new HogPersonDetector(HogSettings.defaults())) {
      assertEquals(List.of(), plain.detect(img));
      List<PersonBox> boxes = upscaled.detect(img);
      assertEquals(1, boxes.size(), "one person: " + boxes);
      assertAround(boxes.get(0), 100 / 240.0, 70 / 180.0, 120 / 180.0);
    }
  }

  @Test
  void shouldFindNothingOnAnEmptyFrame() {
    try (HogPersonDetector hog = new HogPersonDetector(HogSettings.defaults())) {
      assertEquals(List.of(), hog.detect(Silhouettes.empty(320, 240)));
    }
  }
}
