package io.cmstream.ava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameAnnotatorTest {

  private static BufferedImage gray(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, 0x808080);
      }
    }
    return img;
  }

  @Test
  void shouldDrawTheBoxOutlineAtItsNormalisedCorners() {
    BufferedImage frame = gray(201, 101);
    BufferedImage out =
        new FrameAnnotator(1f)
            .annotate(
                frame, List.of(new BoxLabel(0.25, 0.5, 0.75, 0.9, 2, false, List.of())), null);
    int c = FrameAnnotator.color(2).getRGB() & 0xFFFFFF;
    assertEquals(c, out.getRGB(50, 70) & 0xFFFFFF, "left edge at x = 0.25 * 200");
    assertEquals(c, out.getRGB(150, 70) & 0xFFFFFF, "right edge at x = 0.75 * 200");
    assertEquals(c, out.getRGB(100, 50) & 0xFFFFFF, "top edge at y = 0.5 * 100");
    assertEquals(0x808080, out.getRGB(100, 70) & 0xFFFFFF, "inside stays untouched");
    assertEquals(0x808080, frame.getRGB(50, 70) & 0xFFFFFF, "the input frame is not modified");
    assertEquals(BufferedImage.TYPE_3BYTE_BGR, out.getType());
  }

  @Test
  void shouldWriteLabelTextAboveTheBox() {
    BufferedImage out =
        new FrameAnnotator(1f)
            .annotate(
                gray(320, 240),
                List.of(new BoxLabel(0.3, 0.5, 0.6, 0.9, 0, false, List.of("walk 0.91"))),
                "t=3s");
    boolean textPixels = false;
    for (int y = 100; y < 120 && !textPixels; y++) {
      for (int x = 96; x < 180; x++) {
        if ((out.getRGB(x, y) & 0xFFFFFF) != 0x808080) {
          textPixels = true;
          break;
        }
      }
    }
    assertEquals(true, textPixels, "a label band is drawn just above the box");
    assertNotEquals(0x808080, out.getRGB(2, 2) & 0xFFFFFF, "header band at the top-left");
  }

  @Test
  void shouldGiveStableDistinctColoursPerKey() {
    assertEquals(FrameAnnotator.color(3), FrameAnnotator.color(3 + 16));
    assertEquals(
        16,
        java.util.stream.IntStream.range(0, 16).mapToObj(FrameAnnotator::color).distinct().count(),
        "16 tracks in a row get 16 different colours");
    assertEquals(Color.class, FrameAnnotator.color(-1).getClass());
  }
}
