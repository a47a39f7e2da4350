package io.cmstream.ava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.cli.AvaToolsCli;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.ava.video.VideoReader;
import io.cmstream.ava.video.VideoWriter;
import io.cmstream.common.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoAnnotatorTest {

  static Path grayVideo(Path dir, int seconds, int fps) {
    Path v = dir.resolve("vid1.mp4");
    try (VideoWriter w = VideoWriter.open(v, 160, 96, fps, VideoWriter.Codec.MPEG4)) {
      byte[] px = new byte[160 * 96 * 3];
      Arrays.fill(px, (byte) 100);
      for (int i = 0; i < seconds * fps; i++) {
        w.write(new RgbImage(160, 96, px.clone()));
      }
    }
    return v;
  }

  @Test
  void shouldAnnotateEveryFrameWithItsSecondsBoxes(@TempDir Path dir) throws Exception {
    Path video = grayVideo(dir, 3, 8);
    Path dets = dir.resolve("dets.csv");
    // a box only at second 2: frames with t in [1.5, 2.5) carry it
    Files.writeString(dets, "vid1,0002,0.250,0.250,0.750,0.750,1,0.9\n");
    Path out = dir.resolve("out.mp4");
    int code =
        Cli.execute(
            new AvaToolsCli(),
            "visualize",
            "--video",
            video.toString(),
            "--detections",
            dets.toString(),
            "--out",
            out.toString());
    assertEquals(0, code);
    List<int[]> edge = new ArrayList<>();
    try (VideoReader r = VideoReader.open(out)) {
      VideoReader.DecodedFrame f;
      while ((f = r.next().orElse(null)) != null) {
        RgbImage img = f.image();
        assertEquals(640, img.width(), "scaled up to a readable width");
        assertEquals(384, img.height(), "aspect kept");
        int y = 192; // the box's left edge at x = 0.25 * 639, scaled 4x from 160x96
        int dev = 0;
        for (int x = 156; x <= 164; x++) {
          dev =
              Math.max(
                  dev,
                  Math.abs(img.get(x, y, 0) - 100)
                      + Math.abs(img.get(x, y, 1) - 100)
                      + Math.abs(img.get(x, y, 2) - 100));
        }
        edge.add(new int[] {(int) Math.round(f.seconds() * 8), dev});
      }
    }
    assertEquals(24, edge.size(), "one output frame per input frame");
    for (int[] e : edge) {
      int frame = e[0];
      boolean boxed = frame >= 12 && frame < 20; // t in [1.5, 2.5)
      int deviation = e[1];
      if (boxed) {
        assertTrue(
            deviation > 60, "frame " + frame + " shows the box edge, deviation " + deviation);
      } else {
        // no box, and no faint ghost of the last one (every frame is a keyframe)
        assertTrue(deviation < 40, "frame " + frame + " has no box, deviation " + deviation);
      }
    }
  }

  @Test
  void shouldFailClearlyWhenTheVideoIdHasNoRows(@TempDir Path dir) throws Exception {
    Path video = grayVideo(dir, 1, 8);
    Path dets = dir.resolve("dets.csv");
    Files.writeString(dets, "other,0002,0.25,0.25,0.75,0.75,1,0.9\n");
    assertEquals(
        Cli.FAILURE,
        Cli.execute(
            new AvaToolsCli(),
            "visualize",
            "--video",
            video.toString(),
            "--detections",
            dets.toString(),
            "--out",
            dir.resolve("o.mp4").toString()));
    assertEquals(
        Cli.FAILURE,
        Cli.execute(
            new AvaToolsCli(),
            "visualize",
            "--video",
            dir.resolve("missing.mp4").toString(),
            "--detections",
            dets.toString(),
            "--video-id",
            "other",
            "--out",
            dir.resolve("o.mp4").toString()));
  }
}
