package io.cmstream.ava.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.FrameDirectory;
import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.ava.format.DetectionRow;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.ava.format.ExclusionsCsv;
import io.cmstream.ava.format.FrameKey;
import io.cmstream.ava.format.FrameListFile;
import io.cmstream.ava.format.FrameListRow;
import io.cmstream.ava.format.GroundTruthCsv;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.ava.format.ProposalsCsv;
import io.cmstream.ava.video.VideoReader;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generates one tiny dataset (2 videos x 10 s, 4 fps, 96x72) and checks it from the outside. */
class SynthDatasetTest {
  static final SynthConfig TINY = new SynthConfig(11, 2, 10, 4, 96, 72, 2, 0.9f);

  @TempDir static Path tmp;
  static Path root;
  static SynthDataset.Summary summary;

  @BeforeAll
  static void generate() {
    root = tmp.resolve("ds");
    summary = new SynthDataset(TINY, 2).write(root, n -> {});
  }

  @Test
  void shouldWriteThePySlowFastLayoutReadableByTheProjectReaders() {
    for (String vid : List.of("syn000", "syn001")) {
      assertTrue(Files.isRegularFile(root.resolve("videos/" + vid + ".mp4")));
      assertEquals(
          TINY.framesPerVideo(), new FrameDirectory(root.resolve("frames"), vid).frameCount());
    }
    List<FrameListRow> train = FrameListFile.read(root.resolve("frame_lists/train.csv"));
    List<FrameListRow> val = FrameListFile.read(root.resolve("frame_lists/val.csv"));
    assertEquals(TINY.framesPerVideo(), train.size());
    assertEquals(TINY.framesPerVideo(), val.size());
    assertEquals("syn001/syn001_000001.jpg", val.get(0).path());
    assertEquals(0, val.get(0).frameId());
    for (FrameListRow r : train)
      assertTrue(Files.isRegularFile(root.resolve("frames").resolve(r.path())));
    LabelMap map = LabelMapPbtxt.read(root.resolve(SynthDataset.LABEL_MAP));
    assertEquals(6, map.size());
    assertEquals("summon_blue", map.name(6));
    List<GroundTruthRow> gtTrain = GroundTruthCsv.read(root.resolve(SynthDataset.GT_TRAIN));
    List<GroundTruthRow> gtVal = GroundTruthCsv.read(root.resolve(SynthDataset.GT_VAL));
    assertFalse(gtTrain.isEmpty());
    assertTrue(gtTrain.stream().allMatch(r -> r.key().videoId().equals("syn000")));
    assertTrue(gtVal.stream().allMatch(r -> r.key().videoId().equals("syn001")));
    Set<FrameKey> excluded = ExclusionsCsv.read(root.resolve(SynthDataset.EXCLUSIONS_VAL));
    // every annotated val keyframe is either in the ground truth or excluded; each person has one
    // pose
    for (int t = TINY.firstKeyframe(); t <= TINY.lastKeyframe(); t++) {
      FrameKey k = new FrameKey("syn001", t);
      long poses = gtVal.stream().filter(r -> r.key().equals(k) && r.actionId() <= 3).count();
      assertEquals(excluded.contains(k) ? 0 : TINY.actors(), poses, "keyframe " + k);
    }
    assertFalse(ProposalsCsv.read(root.resolve(SynthDataset.PROPOSALS_TRAIN)).isEmpty());
    assertFalse(ProposalsCsv.read(root.resolve(SynthDataset.PROPOSALS_VAL)).isEmpty());
  }

  @Test
  void shouldPlaceBoxesOnTheActorsPixels() {
    // the pixels inside a ground-truth box differ from the background more than those around it
    GroundTruthRow r = GroundTruthCsv.read(root.resolve(SynthDataset.GT_TRAIN)).get(0);
    Scenario sc = new ScenarioGenerator(TINY).generate(0);
    int frame = r.key().timestamp() * TINY.fps();
    RgbImage img =
        JpegCodec.decode(new FrameDirectory(root.resolve("frames"), "syn000").jpeg(frame));
    int x1 = (int) Math.floor(r.box().x1() * 96), x2 = (int) Math.ceil(r.box().x2() * 96);
    int y1 = (int) Math.floor(r.box().y1() * 72), y2 = (int) Math.ceil(r.box().y2() * 72);
    int changedInside = 0;
    for (int y = y1; y < y2; y++) {
      for (int x = x1; x < x2; x++) {
        int d = 0;
        for (int c = 0; c < 3; c++) d += Math.abs(img.get(x, y, c) - sc.background().get(x, y, c));
        if (d > 60) changedInside++;
      }
    }
    assertTrue(
        changedInside > (x2 - x1) * (y2 - y1) / 5, "actor pixels inside its box: " + changedInside);
  }

  @Test
  void shouldDeriveEveryContextLabelFromTheCueEvents() throws IOException {
    // re-derive from annotations/synth_events.csv with the README's rules, independently of
    // LabelRules
    Map<String, Map<Integer, String>> lights = new HashMap<>();
    Set<String> gestures = new HashSet<>();
    List<String> lines = Files.readAllLines(root.resolve(SynthDataset.EVENTS));
    assertEquals("video_id,second,event,person_id", lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f[2].equals("gesture")) {
        gestures.add(f[0] + "," + Integer.parseInt(f[1]) + "," + f[3]);
      } else {
        String prev =
            lights.computeIfAbsent(f[0], v -> new TreeMap<>()).put(Integer.parseInt(f[1]), f[2]);
        assertEquals(null, prev, "two lights in one second");
      }
    }
    Map<String, Set<Integer>> expected = new HashMap<>();
    for (String g : gestures) {
      String[] f = g.split(",");
      int t = Integer.parseInt(f[1]);
      Map<Integer, String> l = lights.getOrDefault(f[0], Map.of());
      assertFalse(l.containsKey(t), "a light on a gesture second: " + g);
      int lightsNear = 0;
      Integer label = null;
      for (int d = -2; d <= 2; d++) {
        String e = l.get(t + d);
        if (e == null) continue;
        lightsNear++;
        if (d < 0 && e.equals("cue_red")) label = 4;
        if (d < 0 && e.equals("cue_green")) label = 5;
        if (d > 0 && e.equals("cue_blue")) label = 6;
      }
      assertTrue(lightsNear <= 1, "more than one light within 2 s of " + g);
      if (label != null && t >= TINY.firstKeyframe() && t <= TINY.lastKeyframe()) {
        expected.computeIfAbsent(f[0] + "," + t + "," + f[2], k -> new HashSet<>()).add(label);
      }
    }
    Set<FrameKey> excluded = ExclusionsCsv.read(root.resolve(SynthDataset.EXCLUSIONS_VAL));
    expected
        .keySet()
        .removeIf(
            k -> {
              String[] f = k.split(",");
              return excluded.contains(new FrameKey(f[0], Integer.parseInt(f[1])));
            });
    Map<String, Set<Integer>> written = new HashMap<>();
    List<GroundTruthRow> gt =
        new ArrayList<>(GroundTruthCsv.read(root.resolve(SynthDataset.GT_TRAIN)));
    gt.addAll(GroundTruthCsv.read(root.resolve(SynthDataset.GT_VAL)));
    for (GroundTruthRow r : gt) {
      if (r.actionId() >= 4) {
        written
            .computeIfAbsent(
                r.key().videoId() + "," + r.key().timestamp() + "," + r.personId(),
                k -> new HashSet<>())
            .add(r.actionId());
      }
    }
    assertFalse(expected.isEmpty(), "the tiny dataset should hold some context labels");
    assertEquals(expected, written);
  }

  @Test
  void shouldGiveByteIdenticalFilesForTheSameSeedAndKnobs() throws IOException {
    Path again = tmp.resolve("again");
    new SynthDataset(TINY, 1).write(again, n -> {});
    List<Path> files = listFiles(root);
    assertEquals(files, listFiles(again));
    for (Path f : files) {
      assertArrayEquals(
          Files.readAllBytes(root.resolve(f)), Files.readAllBytes(again.resolve(f)), f.toString());
    }
    Path other = tmp.resolve("other");
    new SynthDataset(new SynthConfig(12, 2, 10, 4, 96, 72, 2, 0.9f), 2).write(other, n -> {});
    assertFalse(
        Files.readString(other.resolve(SynthDataset.GT_TRAIN))
            .equals(Files.readString(root.resolve(SynthDataset.GT_TRAIN))));
  }

  @Test
  void shouldWriteCeilingDetectionsThatReproduceTheReportedAp() throws IOException {
    JsonNode json = new ObjectMapper().readTree(root.resolve(SynthDataset.CEILING).toFile());
    JsonNode clipOnly = json.at("/predictors/clip_only");
    List<DetectionRow> dets = DetectionsCsv.read(root.resolve(clipOnly.get("detections").asText()));
    List<GroundTruthRow> gt = GroundTruthCsv.read(root.resolve(SynthDataset.GT_VAL));
    double sum = 0;
    int classes = 0;
    for (ActionClass c : ActionClass.values()) {
      JsonNode e = clipOnly.at("/per_class/" + c.id());
      if (e.get("ap").isNull()) continue;
      double ap = apOf(c.id(), dets, gt);
      assertEquals(e.get("ap").asDouble(), ap, 1e-6, c.label());
      sum += ap;
      classes++;
    }
    assertEquals(clipOnly.get("mAP").asDouble(), sum / classes, 1e-6);
    assertEquals(1.0, json.at("/predictors/context_pm2/mAP").asDouble(), 1e-9);
  }

  @Test
  void shouldReproduceEveryCeilingMapWithTheEvalCommand() throws IOException {
    JsonNode json = new ObjectMapper().readTree(root.resolve(SynthDataset.CEILING).toFile());
    for (Ceiling.Predictor p : Ceiling.Predictor.values()) {
      JsonNode pred = json.at("/predictors/" + p.key());
      Path out = tmp.resolve(p.key() + "-eval.json");
      int code =
          io.cmstream.common.cli.Cli.execute(
              new io.cmstream.ava.cli.AvaToolsCli(),
              "eval",
              "--labelmap",
              root.resolve(SynthDataset.LABEL_MAP).toString(),
              "--groundtruth",
              root.resolve(SynthDataset.GT_VAL).toString(),
              "--detections",
              root.resolve(pred.get("detections").asText()).toString(),
              "--exclusions",
              root.resolve(SynthDataset.EXCLUSIONS_VAL).toString(),
              "--json",
              out.toString());
      assertEquals(0, code);
      JsonNode eval = new ObjectMapper().readTree(out.toFile());
      assertEquals(pred.get("mAP").asDouble(), eval.get("mAP").asDouble(), 1e-6, p.key());
    }
  }

  /** Frame AP of one class for detections on ground-truth boxes (exact box match = IoU 1). */
  private static double apOf(int classId, List<DetectionRow> dets, List<GroundTruthRow> gt) {
    Set<String> truth = new HashSet<>();
    for (GroundTruthRow r : gt)
      if (r.actionId() == classId) truth.add(r.key() + "," + r.box().toCsv());
    List<DetectionRow> mine = dets.stream().filter(d -> d.actionId() == classId).toList();
    double[] s = new double[mine.size()];
    boolean[] tp = new boolean[mine.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = mine.get(i).score();
      tp[i] = truth.contains(mine.get(i).key() + "," + mine.get(i).box().toCsv());
    }
    return RankingAp.of(s, tp, truth.size());
  }

  @Test
  void shouldExtractTheFramesFromTheVideoWithTheServingDecoder() throws IOException {
    // every frame file is the JPEG of the decoded video frame (as AVA's frames are extracted from
    // its videos), so training sees the H.264 pixels the streamer sees, not the rendered ones
    FrameDirectory dir = new FrameDirectory(root.resolve("frames"), "syn000");
    JpegCodec jpeg = new JpegCodec(TINY.jpegQuality());
    FrameRenderer renderer = new FrameRenderer(new ScenarioGenerator(TINY).generate(0));
    double renderedDiff = 0;
    try (VideoReader r = VideoReader.open(root.resolve("videos/syn000.mp4"))) {
      assertEquals(TINY.fps(), r.frameRate(), 0.01);
      for (int f = 0; f < TINY.framesPerVideo(); f++) {
        RgbImage decoded = r.next().orElseThrow().image();
        assertArrayEquals(jpeg.encode(decoded), dir.jpeg(f), "frame " + f);
        byte[] rendered = renderer.render(f).rgb();
        long d = 0;
        for (int i = 0; i < rendered.length; i++)
          d += Math.abs((rendered[i] & 0xff) - (decoded.rgb()[i] & 0xff));
        renderedDiff = Math.max(renderedDiff, d / (double) rendered.length);
      }
      assertTrue(r.next().isEmpty(), "one frame file per video frame");
    }
    // the codec changes the pixels (what training used to miss), but not the scene
    assertTrue(
        renderedDiff > 0 && renderedDiff < 12,
        "mean abs difference to the rendered frame " + renderedDiff);
  }

  @Test
  void shouldFeedTheClipPipeline() {
    ClipSpec spec = ClipSpec.of(4, 1, TINY.fps(), 48);
    var clip =
        new ClipPipeline(spec)
            .evalClip(new FrameDirectory(root.resolve("frames"), "syn000").clipJpegs(spec, 3));
    assertArrayEquals(new long[] {3, 4, 48, 64}, clip.shape());
  }

  private static List<Path> listFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }
}
