package io.cmstream.ava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.clip.FrameDirectory;
import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.ava.video.VideoWriter;
import io.cmstream.common.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FramesCommandTest {
  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(new AvaToolsCli()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  /** A 2 s video at 12 fps whose frame i has grey level 10*i. */
  private Path video(String name) {
    Path file = tmp.resolve("videos").resolve(name);
    try {
      Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (VideoWriter w = VideoWriter.open(file, 64, 48, 12, VideoWriter.Codec.MPEG4)) {
      for (int i = 0; i < 24; i++) {
        RgbImage img = RgbImage.blank(64, 48);
        java.util.Arrays.fill(img.rgb(), (byte) (10 * i));
        w.write(img);
      }
    }
    return file;
  }

  @Test
  void shouldExtractFramesResampledByTimestampIntoTheAvaLayout() {
    video("clip_a.mp4");
    Path out = tmp.resolve("frames");
    Run r =
        run(
            "frames",
            "--videos",
            tmp.resolve("videos").toString(),
            "--out",
            out.toString(),
            "--fps",
            "8");
    assertEquals(Cli.OK, r.code(), r.err());
    FrameDirectory frames = new FrameDirectory(out, "clip_a");
    assertEquals(16, frames.frameCount());
    // output frame k at k/8 s shows source frame floor(k * 12 / 8)
    for (int k : new int[] {0, 1, 5, 15}) {
      int expected = 10 * (k * 12 / 8);
      assertEquals(expected, JpegCodec.decode(frames.jpeg(k)).get(30, 20, 1), 6, "frame " + k);
    }
    assertTrue(r.out().contains("wrote 16 frames of 1 videos"), r.out());
  }

  @Test
  void shouldFailWithOneLineForMissingOrUnreadableVideos() throws Exception {
    Run missing =
        run(
            "frames",
            "--videos",
            tmp.resolve("nope").toString(),
            "--out",
            tmp.resolve("o").toString());
    assertEquals(Cli.FAILURE, missing.code());
    assertEquals(
        "frames: error: no such video folder or file: " + tmp.resolve("nope"),
        missing.err().strip());

    video("good.mp4");
    Files.writeString(tmp.resolve("videos/broken.mp4"), "not a video");
    Run broken =
        run(
            "frames",
            "--videos",
            tmp.resolve("videos").toString(),
            "--out",
            tmp.resolve("o").toString(),
            "--fps",
            "4");
    assertEquals(Cli.FAILURE, broken.code());
    assertEquals(1, broken.err().strip().lines().count(), broken.err());
    assertTrue(broken.err().contains("1 of 2 videos could not be read: broken.mp4"), broken.err());
    assertEquals(
        8,
        new FrameDirectory(tmp.resolve("o"), "good").frameCount(),
        "the readable video is still extracted");

    Run badFps =
        run(
            "frames",
            "--videos",
            tmp.resolve("videos").toString(),
            "--out",
            tmp.resolve("o").toString(),
            "--fps",
            "0");
    assertEquals(Cli.USAGE, badFps.code());
    assertFalse(badFps.err().isBlank());
  }
}
