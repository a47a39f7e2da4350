package io.cmstream.streamer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.clip.FrameDirectory;
import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.ava.format.ProposalRow;
import io.cmstream.ava.format.ProposalsCsv;
import io.cmstream.ava.synth.SynthConfig;
import io.cmstream.ava.synth.SynthDataset;
import io.cmstream.common.cli.Cli;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.schemas.avro.ClipRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code streamer record} on a video written by {@code ava-tools synth}: one clip per second, each
 * frame the one the dataset's frame folder has at the clip pipeline's index (the folder holds the
 * rendered frames, the video their H.264 encoding), and the val proposals of the right second
 * attached.
 */
class SyntheticVideoTest {
  private static final int FPS = 8;
  private static final int SECONDS = 8;

  @TempDir static Path dir;
  private static Path data;

  @BeforeAll
  static void synthesise() {
    data = dir.resolve("synth");
    new SynthDataset(new SynthConfig(11, 2, SECONDS, FPS, 160, 120, 2, 0.95f), 1)
        .write(data, n -> {});
  }

  private static double meanAbsDiff(RgbImage a, RgbImage b) {
    assertEquals(a.width(), b.width());
    assertEquals(a.height(), b.height());
    byte[] x = a.rgb();
    byte[] y = b.rgb();
    long sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
    }
    return sum / (double) x.length;
  }

  @Test
  void shouldTakeEachClipFrameAtTheClipPipelinesIndexWithTheProposalsOfItsSecond()
      throws Exception {
    String vid = SynthConfig.videoId(1); // the val video
    Path out = dir.resolve(vid + ".avro");
    Path proposals = data.resolve(SynthDataset.PROPOSALS_VAL);
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(new StreamerCli()));
    cl.setErr(new PrintWriter(err, true));
    int exit =
        cl.execute(
            "record",
            "--input",
            data.resolve("videos").resolve(vid + ".mp4").toString(),
            "--proposals",
            proposals.toString(),
            "--out",
            out.toString(),
            "--fps",
            "" + FPS,
            "--frames",
            "4",
            "--stride",
            "2",
            "--short-side",
            "120",
            "--jpeg-quality",
            "95",
            "--no-progress");
    assertEquals(0, exit, err.toString());

    List<ClipRecord> clips = new ArrayList<>();
    try (DataFileReader<ClipRecord> r =
        new DataFileReader<>(out.toFile(), new SpecificDatumReader<>(ClipRecord.class))) {
      r.forEach(clips::add);
    }
    assertEquals(SECONDS, clips.size(), "one clip per whole second");
    ClipSpec spec = ClipSpec.of(4, 2, FPS, 120);
    FrameDirectory folder = new FrameDirectory(data.resolve("frames"), vid);
    int frames = folder.frameCount();
    assertEquals(SECONDS * FPS, frames);
    double worst = 0;
    for (ClipRecord c : clips) {
      int s = c.getSecond();
      assertEquals(vid, c.getStreamId());
      assertEquals(160, c.getWidth());
      assertEquals(120, c.getHeight());
      int[] idx = spec.frameIndices(s, frames);
      assertEquals(idx.length, c.getFrames().size());
      for (int i = 0; i < idx.length; i++) {
        ByteBuffer b = c.getFrames().get(i);
        byte[] jpeg = new byte[b.remaining()];
        b.duplicate().get(jpeg);
        RgbImage got = JpegCodec.decode(jpeg);
        double expected = meanAbsDiff(got, JpegCodec.decode(folder.jpeg(idx[i])));
        worst = Math.max(worst, expected);
        assertTrue(
            expected < 6.0,
            "second " + s + " frame " + i + " differs from frame " + idx[i] + " by " + expected);
        for (int other = Math.max(0, idx[i] - 2);
            other <= Math.min(frames - 1, idx[i] + 2);
            other++) {
          double d = meanAbsDiff(got, JpegCodec.decode(folder.jpeg(other)));
          assertTrue(
              other == idx[i] || d >= expected,
              "second "
                  + s
                  + " frame "
                  + i
                  + " looks more like frame "
                  + other
                  + " ("
                  + d
                  + ") than "
                  + idx[i]
                  + " ("
                  + expected
                  + ")");
        }
      }
      List<ProposalRow> rows =
          ProposalsCsv.read(proposals).stream()
              .filter(
                  p ->
                      p.key().videoId().equals(vid) && p.key().timestamp() == s && p.score() >= 0.5)
              .toList();
      assertEquals(rows.size(), c.getBoxes().size(), "boxes of second " + s);
      for (int k = 0; k < rows.size(); k++) {
        assertEquals(rows.get(k).box().x1(), c.getBoxes().get(k).getX1(), 1e-6);
        assertEquals(rows.get(k).box().y2(), c.getBoxes().get(k).getY2(), 1e-6);
      }
    }
    System.out.println("synthetic video: worst mean abs difference to the frame folder " + worst);
  }
}
