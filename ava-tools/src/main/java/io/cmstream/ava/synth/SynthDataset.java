package io.cmstream.ava.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cmstream.ava.clip.FrameDirectory;
import io.cmstream.ava.eval.EvalProgress;
import io.cmstream.ava.eval.FrameMapEvaluator;
import io.cmstream.ava.eval.FrameMapResult;
import io.cmstream.ava.format.Box;
import io.cmstream.ava.format.DetectionsCsv;
import io.cmstream.ava.format.ExclusionsCsv;
import io.cmstream.ava.format.FrameKey;
import io.cmstream.ava.format.FrameListFile;
import io.cmstream.ava.format.FrameListRow;
import io.cmstream.ava.format.GroundTruthCsv;
import io.cmstream.ava.format.GroundTruthRow;
import io.cmstream.ava.format.ProposalRow;
import io.cmstream.ava.format.ProposalsCsv;
import io.cmstream.ava.video.FrameExtractor;
import io.cmstream.ava.video.VideoWriter;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.format.LabelMapPbtxt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Writes the synthetic dataset in the PySlowFast AVA layout (see the module README and the
 * dataset's own README.md). Videos are generated independently (each from the seed and its index),
 * so the output does not depend on the number of threads.
 */
public final class SynthDataset {
  public static final String GT_TRAIN = "annotations/ava_train_v2.2.csv";
  public static final String GT_VAL = "annotations/ava_val_v2.2.csv";
  public static final String LABEL_MAP =
      "annotations/ava_action_list_v2.2_for_activitynet_2019.pbtxt";
  public static final String PROPOSALS_TRAIN = "annotations/ava_train_predicted_boxes.csv";
  public static final String PROPOSALS_VAL = "annotations/ava_val_predicted_boxes.csv";
  public static final String EXCLUSIONS_VAL = "annotations/ava_val_excluded_timestamps_v2.2.csv";
  public static final String EVENTS = "annotations/synth_events.csv";
  public static final String CEILING = "ceiling.json";

  /** Val keyframes where two persons' boxes overlap this much (IoU) are excluded. */
  static final double OCCLUSION_IOU = 0.45;

  /** What was written. */
  public record Summary(
      Path root,
      int videos,
      int frames,
      int personSeconds,
      long bytes,
      List<Ceiling.Result> ceiling,
      int[] classCounts,
      String codec) {}

  private record VideoOutput(
      int index,
      List<PersonSecond> persons,
      List<ProposalRow> proposals,
      List<String> events,
      List<FrameKey> excluded,
      String codec) {}

  private final SynthConfig config;
  private final int threads;

  public SynthDataset(SynthConfig config, int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
    this.config = config;
    this.threads = threads;
  }

  /** Checks that {@code out} can hold a new dataset: absent or empty, and writable. */
  public static void prepareOutput(Path out) {
    try {
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new IllegalArgumentException("output " + out + " is a file, not a folder");
      }
      if (Files.isDirectory(out)) {
        try (Stream<Path> s = Files.list(out)) {
          if (s.findAny().isPresent())
            throw new IllegalArgumentException("output folder " + out + " is not empty");
        }
      }
      Files.createDirectories(out);
      if (!Files.isWritable(out))
        throw new IllegalArgumentException("output folder " + out + " is not writable");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create output folder " + out + ": " + e, e);
    }
  }

  /**
   * Generates the dataset into {@code out}; {@code progress} receives the number of frames done.
   */
  public Summary write(Path out, LongConsumer progress) {
    prepareOutput(out);
    List<VideoOutput> outputs = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<VideoOutput>> futures = new ArrayList<>();
      for (int i = 0; i < config.videos(); i++) {
        int index = i;
        futures.add(pool.submit(() -> video(out, index, progress)));
      }
      for (Future<VideoOutput> f : futures) outputs.add(f.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) throw re;
      throw new IllegalStateException(c.getMessage(), c);
    } finally {
      pool.shutdownNow();
    }
    List<PersonSecond> persons = new ArrayList<>();
    outputs.forEach(o -> persons.addAll(o.persons()));
    writeAnnotations(out, outputs);
    List<Ceiling.Result> ceiling = new ArrayList<>();
    for (Ceiling.Result r : Ceiling.compute(persons, config.seed())) {
      Path dets = out.resolve("ceiling/" + r.predictor().key() + "_val_detections.csv");
      DetectionsCsv.write(dets, r.detections());
      ceiling.add(measure(out, r, dets));
    }
    int[] counts = new int[ActionClass.values().length];
    for (PersonSecond p : persons) {
      for (ActionClass c : ActionClass.values()) if (p.has(c)) counts[c.ordinal()]++;
    }
    try {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      Files.writeString(
          out.resolve(CEILING), json.writeValueAsString(Ceiling.toJson(ceiling)) + "\n");
      Files.writeString(
          out.resolve("README.md"), DatasetReadme.text(config, ceiling, counts, persons.size()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return new Summary(
        out,
        config.videos(),
        config.videos() * config.framesPerVideo(),
        persons.size(),
        sizeOf(out),
        ceiling,
        counts,
        outputs.get(0).codec());
  }

  /** The ceiling as the project's evaluator measures it on the written detections. */
  private static Ceiling.Result measure(Path out, Ceiling.Result r, Path detections) {
    FrameMapResult m =
        new FrameMapEvaluator(new FrameMapEvaluator.Options(1, false))
            .evaluate(
                out.resolve(LABEL_MAP),
                out.resolve(GT_VAL),
                detections,
                out.resolve(EXCLUSIONS_VAL),
                EvalProgress.NONE);
    List<Ceiling.ClassAp> per = new ArrayList<>();
    for (Ceiling.ClassAp c : r.perClass()) {
      per.add(
          new Ceiling.ClassAp(
              c.actionClass(),
              c.positives(),
              m.classAp(c.actionClass().id()).ap(),
              c.expectedAp()));
    }
    return new Ceiling.Result(r.predictor(), List.copyOf(per), r.detections());
  }

  private VideoOutput video(Path out, int index, LongConsumer progress) throws IOException {
    Scenario sc = new ScenarioGenerator(config).generate(index);
    FrameRenderer renderer = new FrameRenderer(sc);
    String vid = sc.videoId();
    Files.createDirectories(out.resolve("videos"));
    Path mp4 = out.resolve("videos").resolve(vid + ".mp4");
    String codec;
    try (VideoWriter video =
        VideoWriter.open(
            mp4, config.width(), config.height(), config.fps(), VideoWriter.Codec.H264)) {
      codec = video.codecName();
      for (int f = 0; f < sc.frames(); f++) video.write(renderer.render(f));
    }
    // the frames are extracted from the video, as AVA's are, with the decoder serving uses
    // (VideoReader), so training and offline inference see the pixels the streamer sees
    int extracted =
        new FrameExtractor(config.fps(), config.jpegQuality())
            .extract(mp4, out.resolve("frames"), progress);
    if (extracted != sc.frames()) {
      throw new IllegalStateException(
          vid + ".mp4 decoded to " + extracted + " frames, expected " + sc.frames());
    }
    boolean val = config.isVal(index);
    Random proposalRnd = new Random(config.seed() * 1_000_033L + index * 104_729L + 5);
    List<PersonSecond> persons = new ArrayList<>();
    List<ProposalRow> proposals = new ArrayList<>();
    List<FrameKey> excluded = new ArrayList<>();
    for (int t = config.firstKeyframe(); t <= config.lastKeyframe(); t++) {
      List<Box> boxes = new ArrayList<>();
      for (Scenario.Actor a : sc.actors()) boxes.add(renderer.box(a, t));
      boolean occluded = false;
      for (int i = 0; i < boxes.size(); i++) {
        for (int j = i + 1; j < boxes.size(); j++)
          occluded |= boxes.get(i).iou(boxes.get(j)) >= OCCLUSION_IOU;
      }
      boolean exclude = val && occluded;
      if (exclude) excluded.add(new FrameKey(vid, t));
      Optional<Cue> near = Optional.empty();
      for (int s = t - 1; s <= t + 1; s++) {
        if (s >= 0 && s < sc.seconds() && sc.cues()[s] != null) near = Optional.of(sc.cues()[s]);
      }
      for (int a = 0; a < sc.actors().size(); a++) {
        Scenario.Actor actor = sc.actors().get(a);
        boolean gesture = actor.gestures()[t];
        Optional<ActionClass> interaction =
            gesture ? LabelRules.interaction(sc.cues(), t) : Optional.empty();
        persons.add(
            new PersonSecond(
                vid,
                t,
                a,
                val,
                exclude,
                boxes.get(a),
                actor.poses()[t],
                gesture,
                interaction,
                near));
      }
      proposals.addAll(ProposalModel.proposals(vid, t, boxes, proposalRnd));
    }
    List<String> events = new ArrayList<>();
    for (int s = 0; s < sc.seconds(); s++) {
      if (sc.cues()[s] != null) events.add(vid + "," + s + "," + sc.cues()[s].eventName() + ",");
      for (int a = 0; a < sc.actors().size(); a++) {
        if (sc.actors().get(a).gestures()[s]) events.add(vid + "," + s + ",gesture," + a);
      }
    }
    return new VideoOutput(index, persons, proposals, events, excluded, codec);
  }

  private void writeAnnotations(Path out, List<VideoOutput> outputs) {
    List<GroundTruthRow> gtTrain = new ArrayList<>();
    List<GroundTruthRow> gtVal = new ArrayList<>();
    List<ProposalRow> prTrain = new ArrayList<>();
    List<ProposalRow> prVal = new ArrayList<>();
    List<FrameKey> excluded = new ArrayList<>();
    List<String> events = new ArrayList<>();
    List<FrameListRow> listTrain = new ArrayList<>();
    List<FrameListRow> listVal = new ArrayList<>();
    for (VideoOutput o : outputs) {
      boolean val = config.isVal(o.index());
      String vid = SynthConfig.videoId(o.index());
      for (PersonSecond p : o.persons()) {
        if (p.excluded()) continue;
        List<GroundTruthRow> gt = val ? gtVal : gtTrain;
        gt.add(
            new GroundTruthRow(
                vid, p.second(), p.box(), ActionClass.of(p.pose()).id(), p.personId()));
        p.interaction()
            .ifPresent(
                c -> gt.add(new GroundTruthRow(vid, p.second(), p.box(), c.id(), p.personId())));
      }
      (val ? prVal : prTrain).addAll(o.proposals());
      excluded.addAll(o.excluded());
      events.addAll(o.events());
      List<FrameListRow> list = val ? listVal : listTrain;
      int videoIdx = val ? o.index() - (config.videos() - config.valVideos()) : o.index();
      for (int f = 0; f < config.framesPerVideo(); f++) {
        list.add(new FrameListRow(vid, videoIdx, f, FrameDirectory.relativePath(vid, f)));
      }
    }
    GroundTruthCsv.write(out.resolve(GT_TRAIN), gtTrain);
    GroundTruthCsv.write(out.resolve(GT_VAL), gtVal);
    ProposalsCsv.write(out.resolve(PROPOSALS_TRAIN), prTrain);
    ProposalsCsv.write(out.resolve(PROPOSALS_VAL), prVal);
    ExclusionsCsv.write(out.resolve(EXCLUSIONS_VAL), excluded);
    LabelMapPbtxt.write(out.resolve(LABEL_MAP), ActionClass.labelMap(), LabelMap.Dialect.LABEL);
    FrameListFile.write(out.resolve("frame_lists/train.csv"), listTrain);
    FrameListFile.write(out.resolve("frame_lists/val.csv"), listVal);
    List<String> eventLines = new ArrayList<>();
    eventLines.add("video_id,second,event,person_id");
    eventLines.addAll(events);
    try {
      Files.write(out.resolve(EVENTS), eventLines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + EVENTS + ": " + e.getMessage(), e);
    }
  }

  private static long sizeOf(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return -1;
    }
  }
}
