package io.cmstream.ava.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.clip.ClipSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClipPipelineTest {

  /** A black frame with a white rectangle at the normalised box. */
  private static RgbImage frameWithBox(int w, int h, float[] box) {
    RgbImage img = RgbImage.blank(w, h);
    for (int y = Math.round(box[1] * h); y < Math.round(box[3] * h); y++) {
      for (int x = Math.round(box[0] * w); x < Math.round(box[2] * w); x++) {
        for (int c = 0; c < 3; c++) img.rgb()[(y * w + x) * 3 + c] = (byte) 255;
      }
    }
    return img;
  }

  /** Bounding box {x1,y1,x2,y2} (pixel edges) of bright pixels in frame t, channel 0. */
  private static int[] brightExtent(ClipTensor clip, int t, float threshold) {
    int x1 = Integer.MAX_VALUE, y1 = Integer.MAX_VALUE, x2 = -1, y2 = -1;
    for (int y = 0; y < clip.height(); y++) {
      for (int x = 0; x < clip.width(); x++) {
        if (clip.at(0, t, y, x) > threshold) {
          x1 = Math.min(x1, x);
          y1 = Math.min(y1, y);
          x2 = Math.max(x2, x + 1);
          y2 = Math.max(y2, y + 1);
        }
      }
    }
    return new int[] {x1, y1, x2, y2};
  }

  @Test
  void shouldNormaliseAndLayOutChannelsFirst() {
    ClipSpec spec =
        new ClipSpec(2, 1, 8, 4, 0, new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 1f});
    RgbImage a = RgbImage.blank(4, 4);
    for (int i = 0; i < 16; i++) {
      a.rgb()[i * 3] = (byte) 255;
      a.rgb()[i * 3 + 1] = 0;
      a.rgb()[i * 3 + 2] = (byte) 51;
    }
    RgbImage b = RgbImage.blank(4, 4);
    ClipTensor clip = new ClipPipeline(spec).build(List.of(a, b), ClipGeometry.forEval(spec, 4, 4));
    assertArrayEquals(new long[] {3, 2, 4, 4}, clip.shape());
    assertEquals(1f, clip.at(0, 0, 2, 3), 1e-5);
    assertEquals(-1f, clip.at(1, 0, 0, 0), 1e-5);
    assertEquals(0.2f, clip.at(2, 0, 3, 3), 1e-5);
    assertEquals(-1f, clip.at(0, 1, 0, 0), 1e-5);
    assertEquals(0f, clip.at(2, 1, 1, 1), 1e-5);
  }

  @Test
  void shouldResizeShortSideForEvaluation() {
    ClipSpec spec = ClipSpec.of(2, 1, 8, 60);
    float[] box = {0.25f, 0.5f, 0.75f, 1f};
    RgbImage f = frameWithBox(160, 120, box);
    ClipTensor clip =
        new ClipPipeline(spec).build(List.of(f, f), ClipGeometry.forEval(spec, 160, 120));
    assertEquals(80, clip.width());
    assertEquals(60, clip.height());
    assertArrayEquals(new int[] {20, 30, 60, 60}, brightExtent(clip, 1, 0.8f));
  }

  @Test
  void shouldKeepBoxesOnTheirPixelsUnderCropAndFlip() {
    ClipSpec spec = new ClipSpec(2, 1, 8, 48, 40, ClipSpec.DEFAULT_MEAN, ClipSpec.DEFAULT_STD);
    ClipPipeline pipeline = new ClipPipeline(spec);
    float[] box = {0.30f, 0.25f, 0.55f, 0.75f};
    RgbImage f = frameWithBox(128, 96, box);
    Random random = new Random(7);
    int flips = 0;
    for (int trial = 0; trial < 20; trial++) {
      ClipGeometry g = ClipGeometry.forTraining(spec, 128, 96, random);
      assertEquals(40, g.width());
      assertEquals(40, g.height());
      flips += g.flip() ? 1 : 0;
      ClipTensor clip = pipeline.build(List.of(f, f), g);
      float[] tb = g.transformBox(box);
      int[] seen = brightExtent(clip, 0, 1.5f);
      if (!ClipGeometry.isVisible(tb)) {
        assertEquals(-1, seen[2], "box cropped away but its pixels are visible");
        continue;
      }
      // pixel edges of the transformed box and of the bright area agree within 1.5 px
      float[] px = {tb[0] * 40, tb[1] * 40, tb[2] * 40, tb[3] * 40};
      for (int i = 0; i < 4; i++) {
        assertEquals(px[i], seen[i], 1.5, "trial " + trial + " coordinate " + i + " geometry " + g);
      }
    }
    assertTrue(flips > 2 && flips < 18, "flip should happen about half of the time: " + flips);
  }

  @Test
  void shouldFlipBoxesToMirrorPositions() {
    ClipGeometry g = new ClipGeometry(100, 50, 100, 50, 0, 0, 100, 50, true);
    assertArrayEquals(
        new float[] {0.6f, 0.2f, 0.9f, 0.4f},
        g.transformBox(new float[] {0.1f, 0.2f, 0.4f, 0.4f}),
        1e-6f);
    ClipGeometry crop = new ClipGeometry(100, 50, 200, 100, 100, 0, 100, 100, false);
    float[] out = crop.transformBox(new float[] {0.1f, 0.0f, 0.4f, 1f});
    assertFalse(ClipGeometry.isVisible(out));
  }

  @Test
  void shouldSampleTheSameGeometryFromTheSameSeed() {
    ClipSpec spec = ClipSpec.of(4, 2, 8, 64);
    assertEquals(
        ClipGeometry.forTraining(spec, 160, 120, new Random(3)),
        ClipGeometry.forTraining(spec, 160, 120, new Random(3)));
  }

  @Test
  void shouldDecodeWhatTheCodecEncodesDeterministically() {
    RgbImage f = frameWithBox(64, 48, new float[] {0.25f, 0.25f, 0.75f, 0.75f});
    JpegCodec codec = new JpegCodec(0.95f);
    byte[] a = codec.encode(f);
    assertArrayEquals(a, codec.encode(f));
    RgbImage back = JpegCodec.decode(a);
    assertEquals(64, back.width());
    assertTrue(back.get(32, 24, 0) > 240);
    assertTrue(back.get(2, 2, 1) < 15);
    ClipSpec spec = ClipSpec.of(2, 1, 8, 48);
    ClipTensor clip = new ClipPipeline(spec).evalClip(List.of(a, a));
    assertArrayEquals(new long[] {3, 2, 48, 64}, clip.shape());
  }

  @Test
  void shouldBuildTrainingSizedClipsFast() {
    ClipSpec spec = ClipSpec.of(8, 1, 8, 112);
    RgbImage f = frameWithBox(160, 120, new float[] {0.2f, 0.2f, 0.4f, 0.9f});
    List<RgbImage> frames = new ArrayList<>(Collections.nCopies(8, f));
    ClipPipeline p = new ClipPipeline(spec);
    Random r = new Random(1);
    for (int i = 0; i < 20; i++)
      p.build(frames, ClipGeometry.forTraining(spec, 160, 120, r)); // warm-up
    long t0 = System.nanoTime();
    for (int i = 0; i < 50; i++) p.build(frames, ClipGeometry.forTraining(spec, 160, 120, r));
    double ms = (System.nanoTime() - t0) / 1e6 / 50;
    // a few ms on an idle core; the bound only catches pathological slowness on a loaded machine
    assertTrue(ms < 250, "one 8x112x149 clip took " + ms + " ms");
  }
}
