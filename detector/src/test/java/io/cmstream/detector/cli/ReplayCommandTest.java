package io.cmstream.detector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.common.cli.Cli;
import io.cmstream.detector.replay.SyntheticClips;
import io.cmstream.runtime.TinyCmModel;
import io.cmstream.schemas.avro.ClipRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandTest {

  @TempDir Path temp;

  private static void record(Path file, String stream, int seconds) throws Exception {
    SyntheticClips synth = new SyntheticClips(TinyCmModel.CLIP_SPEC.frames(), 40, 32, 2);
    try (DataFileWriter<ClipRecord> w =
        new DataFileWriter<>(new SpecificDatumWriter<>(ClipRecord.class))) {
      w.create(ClipRecord.getClassSchema(), file.toFile());
      for (int s = 0; s < seconds; s++) {
        w.append(synth.clip(stream, 900 + s, s == seconds - 1));
      }
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = Cli.configure(new CommandLine(new DetectorCli()));
    cl.setOut(new java.io.PrintWriter(new PrintStream(out), true));
    cl.setErr(new java.io.PrintWriter(new PrintStream(err), true));
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(out, true));
    try {
      return new Run(
          cl.execute(args),
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
    }
  }

  @Test
  void shouldReplayRecordingsToAvaCsvAndPrintMap() throws Exception {
    Path bundle = TinyCmModel.write(temp.resolve("bundle"), 2);
    Path recordings = Files.createDirectories(temp.resolve("rec"));
    record(recordings.resolve("a.avro"), "video-a", 6);
    record(recordings.resolve("b.avro"), "video-b", 4);
    Path gt = temp.resolve("gt.csv");
    Files.writeString(
        gt, "video-a,0902,0.050,0.200,0.300,0.900,1,0\nvideo-b,0901,0.500,0.200,0.750,0.900,2,0\n");
    Path csv = temp.resolve("det.csv");
    Run r =
        run(
            "replay",
            "--input",
            recordings.toString(),
            "--bundle",
            bundle.toString(),
            "--ahead",
            "1",
            "--out",
            csv.toString(),
            "--groundtruth",
            gt.toString());
    assertEquals(0, r.exit(), r.err());
    List<DetectionRow> rows = DetectionsCsv.read(csv);
    assertEquals((6 + 4) * 2 * TinyCmModel.CLASSES, rows.size(), "seconds x boxes x classes");
    assertTrue(r.out().contains("replayed 10 clips from 2 recordings"), r.out());
    assertTrue(r.out().contains("frame-mAP@0.5IoU"), r.out());
  }

  @Test
  void shouldRefuseAheadBeyondTraining() throws Exception {
    Path bundle = TinyCmModel.write(temp.resolve("bundle"), 2);
    Path rec = temp.resolve("a.avro");
    record(rec, "video-a", 2);
    Run r =
        run(
            "replay",
            "--input",
            rec.toString(),
            "--bundle",
            bundle.toString(),
            "--ahead",
            "3",
            "--out",
            temp.resolve("x.csv").toString());
    assertEquals(Cli.FAILURE, r.exit());
    assertTrue(r.err().contains("ahead 3 exceeds the model's training ahead 2"), r.err());
  }

  @Test
  void shouldFailWithOneLineForAMissingRecording() throws Exception {
    Path bundle = TinyCmModel.write(temp.resolve("bundle"), 2);
    Run r =
        run(
            "replay",
            "--input",
            temp.resolve("nope.avro").toString(),
            "--bundle",
            bundle.toString(),
            "--out",
            temp.resolve("x.csv").toString());
    assertEquals(Cli.FAILURE, r.exit());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("does not exist"), r.err());
  }
}
