package io.cmstream.ava.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.clip.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoRoundTripTest {

  static final int W = 96; // 288 bytes a row: once decoded to 4 channels, caught here
  static final int H = 72;

  /**
   * Frame i: left half reddish, right half bluish, brightness 20 + 20*i, a bright square moving
   * right.
   */
  private static RgbImage frame(int i) {
    RgbImage img = RgbImage.blank(W, H);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean square = x >= 4 * i && x < 4 * i + 8 && y >= 20 && y < 28;
        int v = square ? 250 : 20 + 20 * i;
        int o = (y * W + x) * 3;
        img.rgb()[o] = (byte) (x < W / 2 ? 200 : v);
        img.rgb()[o + 1] = (byte) v;
        img.rgb()[o + 2] = (byte) (x < W / 2 ? v : 200);
      }
    }
    return img;
  }

  private static double meanAbsDiff(RgbImage a, RgbImage b) {
    long d = 0;
    for (int i = 0; i < a.rgb().length; i++)
      d += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
    return d / (double) a.rgb().length;
  }

  @Test
  void shouldWriteAndReadBackAnMp4(@TempDir Path dir) {
    for (VideoWriter.Codec codec : VideoWriter.Codec.values()) {
      Path file = dir.resolve(codec + ".mp4");
      try (VideoWriter w = VideoWriter.open(file, W, H, 8, codec)) {
        for (int i = 0; i < 8; i++) w.write(frame(i));
      }
      assertTrue(Files.exists(file));
      Path again = dir.resolve(codec + "-again.mp4");
      try (VideoWriter w = VideoWriter.open(again, W, H, 8, codec)) {
        for (int i = 0; i < 8; i++) w.write(frame(i));
      }
      try {
        org.junit.jupiter.api.Assertions.assertArrayEquals(
            Files.readAllBytes(file), Files.readAllBytes(again), codec + " not deterministic");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      List<VideoReader.DecodedFrame> frames = new ArrayList<>();
      try (VideoReader r = VideoReader.open(file)) {
        assertEquals(W, r.width());
        assertEquals(H, r.height());
        assertEquals(8, r.frameRate(), 0.01);
        r.next().ifPresent(frames::add);
        while (true) {
          var f = r.next();
          if (f.isEmpty()) break;
          frames.add(f.get());
        }
      }
      assertEquals(8, frames.size(), codec.toString());
      for (int i = 0; i < 8; i++) {
        assertEquals(i / 8.0, frames.get(i).seconds(), 1e-3);
        assertTrue(meanAbsDiff(frame(i), frames.get(i).image()) < 6, codec + " frame " + i);
      }
    }
  }

  @Test
  void shouldFailWithOneLineForMissingOrBrokenVideos(@TempDir Path dir) throws Exception {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class, () -> VideoReader.open(dir.resolve("nope.mp4")));
    assertTrue(missing.getMessage().contains("no such video file"));
    Path junk = Files.writeString(dir.resolve("junk.mp4"), "this is not a video");
    IllegalArgumentException broken =
        assertThrows(IllegalArgumentException.class, () -> VideoReader.open(junk));
    assertTrue(broken.getMessage().startsWith("cannot open video"), broken.getMessage());
    assertTrue(!broken.getMessage().contains("\n"));
  }

  @Test
  void shouldResampleByTimestamp() {
    List<String> out = new ArrayList<>();
    FrameResampler r = new FrameResampler(4, (img, k) -> out.add(k + ":" + img.get(0, 0, 0)));
    // a 10 fps source, 1 s: frames at 0.0, 0.1, ... 0.9 with value = index
    for (int i = 0; i < 10; i++) {
      RgbImage img = RgbImage.blank(1, 1);
      img.rgb()[0] = (byte) i;
      r.accept(i / 10.0, img);
    }
    assertEquals(4, r.finish());
    // times 0, .25, .5, .75 -> frames 0, 2, 5, 7
    assertEquals(List.of("0:0", "1:2", "2:5", "3:7"), out);
  }
}
