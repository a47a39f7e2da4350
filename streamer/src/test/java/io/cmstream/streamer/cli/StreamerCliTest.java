package io.cmstream.streamer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.cli.Cli;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.manifest.BundleManifests;
import io.cmstream.schemas.manifest.ModelManifest;
import io.cmstream.streamer.video.TestPatternVideo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StreamerCliTest {
  @TempDir Path dir;

  private record Result(int exit, String err) {}

  private static Result run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Cli.configure(new CommandLine(new StreamerCli()));
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int exit = cl.execute(args);
    return new Result(exit, err.toString());
  }

  private static void assertFails(Result r, String expected) {
    assertEquals(Cli.FAILURE, r.exit(), r.err());
    assertTrue(
        r.err().contains(expected), "message '" + r.err() + "' should say '" + expected + "'");
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
  }

  private Path video(String name, int frames) throws Exception {
    Path v = dir.resolve(name);
    TestPatternVideo.write(v, 160, 120, 30, TestPatternVideo.constantTimes(frames, 30));
    return v;
  }

  private static List<ClipRecord> readRecording(Path file) throws Exception {
    List<ClipRecord> records = new ArrayList<>();
    try (DataFileReader<ClipRecord> r =
        new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ClipRecord.class))) {
      r.forEach(records::add);
    }
    return records;
  }

  @Test
  void shouldRecordOneClipPerSecondWithTheProposalBoxesOfThatSecond() throws Exception {
    Path video = video("clip_a.avi", 100); // 3.33 s: 3 whole seconds
    Path csv = dir.resolve("proposals.csv");
    Files.writeString(
        csv,
        String.join(
            "\n",
            "clip_a,0001,0.1,0.2,0.3,0.4,,0.95",
            "clip_a,0001,0.5,0.2,0.7,0.9,,0.4",
            "clip_a,0002,0.2,0.2,0.4,0.8,,0.9",
            "other,0000,0.0,0.0,1.0,1.0,,1.0",
            ""));
    Path out = dir.resolve("rec/clip_a.avro");
    Result r =
        run(
            "record",
            "--input",
            video.toString(),
            "--proposals",
            csv.toString(),
            "--out",
            out.toString(),
            "--frames",
            "4",
            "--stride",
            "2",
            "--short-side",
            "64",
            "--no-progress");
    assertEquals(0, r.exit(), r.err());
    List<ClipRecord> records = readRecording(out);
    assertEquals(3, records.size());
    for (int s = 0; s < 3; s++) {
      ClipRecord c = records.get(s);
      assertEquals("clip_a", c.getStreamId());
      assertEquals(s, c.getSecond());
      assertEquals(4, c.getFrames().size());
      assertEquals(64, c.getHeight());
      assertEquals(85, c.getWidth());
      assertEquals(s == 2, c.getEndOfStream());
    }
    assertEquals(0, records.get(0).getBoxes().size(), "a second without proposals has no boxes");
    assertEquals(
        1, records.get(1).getBoxes().size(), "the 0.4 proposal is below the 0.5 threshold");
    assertEquals(0.1f, records.get(1).getBoxes().get(0).getX1(), 1e-6);
    assertEquals(0.95f, records.get(1).getBoxes().get(0).getScore(), 1e-6);
    assertEquals(0.2f, records.get(2).getBoxes().get(0).getX1(), 1e-6);
    assertFalse(Files.exists(dir.resolve("rec/clip_a.avro.partial")));
  }

  @Test
  void shouldTakeTheClipShapeFromAModelBundle() throws Exception {
    Path bundle = Files.createDirectories(dir.resolve("bundle"));
    ModelManifest manifest =
        new ModelManifest(
            1,
            "m",
            "1",
            "test",
            17,
            new ModelManifest.Clip(
                4, 2, 10, 60, 0, List.of(0.45, 0.45, 0.45), List.of(0.225, 0.225, 0.225)),
            new ModelManifest.Dims(8, 2, 3, 3),
            new ModelManifest.Window(1, 1),
            List.of(
                new ModelManifest.ClassEntry(1, "a"),
                new ModelManifest.ClassEntry(2, "b"),
                new ModelManifest.ClassEntry(3, "c")),
            new ModelManifest.Training("test", 1, 0.5, List.of("none")),
            Map.of());
    Files.writeString(bundle.resolve(ModelManifest.FILE_NAME), BundleManifests.toJson(manifest));
    Path video = video("bundled.avi", 75); // 2.5 s
    Path out = dir.resolve("bundled.avro");
    Result r =
        run(
            "record",
            "--input",
            video.toString(),
            "--bundle",
            bundle.toString(),
            "--out",
            out.toString(),
            "--hog-upscale",
            "1",
            "--no-progress");
    assertEquals(0, r.exit(), r.err());
    List<ClipRecord> records = readRecording(out);
    assertEquals(2, records.size());
    assertEquals(4, records.get(0).getFrames().size());
    assertEquals(10.0, records.get(0).getFps());
    assertEquals(60, records.get(0).getHeight());
    assertEquals(80, records.get(0).getWidth());
  }

  @Test
  void shouldFailClearlyOnAMissingBundle() throws Exception {
    Path video = video("nobundle.avi", 40);
    assertFails(
        run(
            "record",
            "--input",
            video.toString(),
            "--bundle",
            dir.resolve("nowhere").toString(),
            "--out",
            dir.resolve("x.avro").toString(),
            "--no-progress"),
        "is not a folder");
  }

  @Test
  void shouldFailClearlyOnAMissingFile() {
    assertFails(
        run(
            "record",
            "--input",
            dir.resolve("nope.mp4").toString(),
            "--out",
            dir.resolve("x.avro").toString(),
            "--no-progress"),
        "input not found: ");
  }

  @Test
  void shouldFailClearlyOnAFileThatIsNotAVideo() throws Exception {
    Path notVideo = dir.resolve("notes.mp4");
    Files.writeString(notVideo, "these are not the frames you are looking for\n".repeat(50));
    assertFails(
        run(
            "record",
            "--input",
            notVideo.toString(),
            "--out",
            dir.resolve("x.avro").toString(),
            "--no-progress"),
        "cannot read as a video: ");
  }

  @Test
  void shouldFailClearlyOnAnUnreachableUrl() {
    Result r =
        run(
            "record",
            "--input",
            "http://127.0.0.1:9/camera.mjpg",
            "--out",
            dir.resolve("x.avro").toString(),
            "--timeout-ms",
            "2000",
            "--no-progress");
    assertFails(r, "cannot open stream http://127.0.0.1:9/camera.mjpg");
  }

  @Test
  void shouldReportBadProposalRowsWithTheirLineNumber() throws Exception {
    Path video = video("clip_b.avi", 40);
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "clip_b,0000,0.1,0.2,0.3,0.4,,0.9\nclip_b,0001,0.1,zero,0.3,0.4,,0.9\n");
    assertFails(
        run(
            "record",
            "--input",
            video.toString(),
            "--proposals",
            csv.toString(),
            "--out",
            dir.resolve("x.avro").toString(),
            "--no-progress"),
        "bad.csv:2:");
  }

  @Test
  void shouldSayWhichVideosTheProposalsHaveWhenTheIdIsWrong() throws Exception {
    Path video = video("clip_c.avi", 40);
    Path csv = dir.resolve("p.csv");
    Files.writeString(csv, "someone_else,0000,0.1,0.2,0.3,0.4,,0.9\n");
    assertFails(
        run(
            "record",
            "--input",
            video.toString(),
            "--proposals",
            csv.toString(),
            "--out",
            dir.resolve("x.avro").toString(),
            "--no-progress"),
        "no proposals for video 'clip_c'");
  }

  @Test
  void shouldRejectAProposalsSourceWithoutAFile() throws Exception {
    Path video = video("clip_d.avi", 40);
    assertFails(
        run(
            "record",
            "--input",
            video.toString(),
            "--persons",
            "proposals",
            "--out",
            dir.resolve("x.avro").toString(),
            "--no-progress"),
        "--persons proposals needs --proposals CSV");
  }

  @Test
  void shouldFailWhenTheVideoIsShorterThanASecond() throws Exception {
    Path video = video("short.avi", 20);
    assertFails(
        run(
            "record",
            "--input",
            video.toString(),
            "--out",
            dir.resolve("x.avro").toString(),
            "--no-progress"),
        "has no whole second of video");
  }

  @Test
  void shouldExitWithUsageCodeWithoutARequiredOption() {
    assertEquals(Cli.USAGE, run("publish", "--input", "x.mp4").exit());
  }

  @Test
  void shouldAskForExactlyOneSource() throws Exception {
    Result neither = run("record", "--out", dir.resolve("x.avro").toString());
    assertEquals(Cli.USAGE, neither.exit(), neither.err());
    assertTrue(
        neither.err().contains("give either --input SRC or --frame-folder DIR"), neither.err());
    Result both =
        run(
            "record",
            "--input",
            "x.mp4",
            "--frame-folder",
            dir.toString(),
            "--out",
            dir.resolve("x.avro").toString());
    assertEquals(Cli.USAGE, both.exit(), both.err());
  }

  @Test
  void shouldNeedAVideoIdAndProposalsForAFrameFolder() throws Exception {
    Result noId =
        run(
            "record",
            "--frame-folder",
            dir.toString(),
            "--proposals",
            "p.csv",
            "--out",
            dir.resolve("x.avro").toString());
    assertEquals(Cli.USAGE, noId.exit(), noId.err());
    assertTrue(noId.err().contains("--frame-folder needs --video-id"), noId.err());
    Result noBoxes =
        run(
            "record",
            "--frame-folder",
            dir.toString(),
            "--video-id",
            "v",
            "--out",
            dir.resolve("x.avro").toString());
    assertEquals(Cli.USAGE, noBoxes.exit(), noBoxes.err());
    assertTrue(noBoxes.err().contains("--frame-folder needs --proposals CSV"), noBoxes.err());
  }
}
