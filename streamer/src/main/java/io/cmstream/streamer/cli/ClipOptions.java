package io.cmstream.streamer.cli;

import io.cmstream.ava.format.ExclusionsCsv;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.streamer.ReconnectPolicy;
import io.cmstream.streamer.StreamSettings;
import io.cmstream.streamer.persons.HogPersonBoxes;
import io.cmstream.streamer.persons.HogSettings;
import io.cmstream.streamer.persons.IouTracker;
import io.cmstream.streamer.persons.PersonBoxSource;
import io.cmstream.streamer.persons.ProposalBoxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Options shared by {@code publish} and {@code record}: input, clip shape, JPEG, persons. */
public final class ClipOptions {

  @Option(
      names = {"-i", "--input"},
      paramLabel = "SRC",
      description =
          "Video file, stream URL (rtsp://, http://, udp://, ...) or webcam (webcam:0, /dev/video0).")
  String input;

  @Option(
      names = "--frame-folder",
      paramLabel = "DIR",
      description =
          "Instead of --input: a dataset's frames root (DIR/<vid>/<vid>_000001.jpg..., at the model's fps; "
              + "needs --video-id and --proposals). The JPEG files are sent as they are, so the detector sees the pixels "
              + "`trainer infer` reads (--jpeg-* do not apply).")
  Path frameFolder;

  @Option(
      names = "--input-format",
      paramLabel = "FMT",
      description = "FFmpeg input format to force (e.g. v4l2, mjpeg).")
  String inputFormat;

  @ArgGroup(
      exclusive = false,
      heading =
          "%nClip shape (default: a model bundle's, else 30 fps, T=8, stride 8, short side 256):%n")
  Geometry geometry = new Geometry();

  static final class Geometry {
    @Option(
        names = "--fps",
        paramLabel = "F",
        description =
            "Model frame rate; frames are resampled to it by timestamp. Default ${DEFAULT-VALUE}.",
        defaultValue = "30")
    double fps = 30;

    @Option(
        names = "--frames",
        paramLabel = "T",
        description = "Frames per clip. Default ${DEFAULT-VALUE}.",
        defaultValue = "8")
    int frames = 8;

    @Option(
        names = "--stride",
        paramLabel = "S",
        description =
            "Frame step inside a clip (frames at the model fps). Default ${DEFAULT-VALUE}.",
        defaultValue = "8")
    int stride = 8;

    @Option(
        names = "--short-side",
        paramLabel = "P",
        description = "Model input short side (pixels). Default ${DEFAULT-VALUE}.",
        defaultValue = "256")
    int shortSide = 256;
  }

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description =
          "Model bundle folder: its manifest gives fps, T, stride and short side (overrides --fps/--frames/--stride/--short-side).")
  Path bundle;

  @Option(
      names = "--jpeg-quality",
      paramLabel = "Q",
      defaultValue = "90",
      description = "JPEG quality 1..100. Default ${DEFAULT-VALUE}.")
  int jpegQuality;

  @Option(
      names = "--jpeg-short-side",
      paramLabel = "P",
      description =
          "Short side of the JPEG frames sent (0 = as decoded). Default: the model's short side.")
  Integer jpegShortSide;

  @Option(
      names = "--realtime",
      description = "Pace a file like a camera (live sources are real time anyway).")
  boolean realtime;

  @Option(
      names = "--first-second",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Record second of the first second of the input (AVA timestamps; e.g. 900). Default ${DEFAULT-VALUE}.")
  int firstSecond;

  @Option(
      names = "--reconnect-attempts",
      paramLabel = "N",
      defaultValue = "10",
      description =
          "Network sources: reconnect tries in a row after the stream is lost (0 = stop at the first loss). Default ${DEFAULT-VALUE}.")
  int reconnectAttempts;

  @Option(
      names = "--reconnect-backoff-ms",
      paramLabel = "MS",
      defaultValue = "500",
      description = "First reconnect wait, doubled each try up to 30 s. Default ${DEFAULT-VALUE}.")
  long reconnectBackoffMs;

  @Option(
      names = "--timeout-ms",
      paramLabel = "MS",
      defaultValue = "10000",
      description = "Network I/O timeout. Default ${DEFAULT-VALUE}.")
  int timeoutMs;

  @Option(
      names = "--persons",
      paramLabel = "SRC",
      description =
          "Person boxes: proposals (AVA CSV, --proposals) or hog (OpenCV HOG people detector). Default: proposals when --proposals is given, else hog.")
  PersonsKind persons;

  enum PersonsKind {
    proposals,
    hog
  }

  @Option(
      names = "--proposals",
      paramLabel = "CSV",
      description = "AVA-format proposals CSV (video_id,timestamp,x1,y1,x2,y2,,score).")
  Path proposals;

  @Option(
      names = "--video-id",
      paramLabel = "ID",
      description =
          "Video id of the input in the proposals CSV. Default: the input's file name without extension.")
  String videoId;

  @Option(
      names = "--proposal-threshold",
      paramLabel = "S",
      defaultValue = "0.5",
      description =
          "Minimum proposal score (as the trainer's --proposal-threshold). Default ${DEFAULT-VALUE}.")
  double proposalThreshold;

  @Option(
      names = "--exclusions",
      paramLabel = "CSV",
      description =
          "AVA excluded timestamps (video_id,timestamp): those seconds get no proposal boxes, as in `trainer infer`.")
  Path exclusions;

  @ArgGroup(exclusive = false, heading = "%nHOG people detector and tracker:%n")
  Hog hog = new Hog();

  static final class Hog {
    @Option(
        names = "--hog-upscale",
        defaultValue = "2.0",
        description =
            "Keyframe upscale before detection (walkers of 40-60 px need ~2). Default ${DEFAULT-VALUE}.")
    double upscale = 2.0;

    @Option(
        names = "--hog-max-side",
        defaultValue = "1280",
        description = "Upscaling stops at this long side. Default ${DEFAULT-VALUE}.")
    int maxSide = 1280;

    @Option(
        names = "--hog-stride",
        defaultValue = "8",
        description = "Window stride (pixels, multiple of 8). Default ${DEFAULT-VALUE}.")
    int winStride = 8;

    @Option(
        names = "--hog-padding",
        defaultValue = "8",
        description = "Image padding (pixels). Default ${DEFAULT-VALUE}.")
    int padding = 8;

    @Option(
        names = "--hog-scale",
        defaultValue = "1.05",
        description = "Pyramid scale step. Default ${DEFAULT-VALUE}.")
    double scale = 1.05;

    @Option(
        names = "--hog-hit-threshold",
        defaultValue = "0",
        description = "SVM margin for a hit. Default ${DEFAULT-VALUE}.")
    double hitThreshold = 0;

    @Option(
        names = "--hog-group-threshold",
        defaultValue = "1",
        description = "OpenCV grouping of raw hits (0 = none). Default ${DEFAULT-VALUE}.")
    int groupThreshold = 1;

    @Option(
        names = "--hog-nms-iou",
        defaultValue = "0.45",
        description = "Non-maximum suppression IoU. Default ${DEFAULT-VALUE}.")
    double nmsIou = 0.45;

    @Option(
        names = "--hog-min-score",
        defaultValue = "0",
        description =
            "Minimum person score in [0,1] (sigmoid of the SVM margin). Default ${DEFAULT-VALUE}.")
    double minScore = 0;

    @Option(
        names = "--track-iou",
        defaultValue = "0.3",
        description =
            "IoU that continues a track from the previous second. Default ${DEFAULT-VALUE}.")
    double trackIou = 0.3;

    @Option(
        names = "--track-smoothing",
        defaultValue = "0.5",
        description =
            "Weight of the new detection's size in a tracked box's size (1 = none). Default ${DEFAULT-VALUE}.")
    double trackSmoothing = 0.5;

    @Option(
        names = "--track-hold",
        defaultValue = "0",
        description =
            "Seconds a missed person keeps its last box (0 = none: a walker has moved on). Default ${DEFAULT-VALUE}.")
    int trackHold = 0;

    HogSettings settings() {
      return new HogSettings(
          upscale,
          maxSide,
          winStride,
          padding,
          scale,
          hitThreshold,
          groupThreshold,
          nmsIou,
          minScore);
    }
  }

  /** Checks that exactly one source is given, and what a frame folder needs. */
  void checkSource() {
    if ((input == null) == (frameFolder == null)) {
      throw new IllegalArgumentException("give either --input SRC or --frame-folder DIR");
    }
    if (frameFolder != null) {
      if (videoId == null) {
        throw new IllegalArgumentException(
            "--frame-folder needs --video-id (the sub-folder of the video)");
      }
      if (proposals == null || persons == PersonsKind.hog) {
        throw new IllegalArgumentException(
            "--frame-folder needs --proposals CSV (HOG runs on decoded video only)");
      }
    }
  }

  /** The clip sampling: from the bundle's manifest when given, else from the options. */
  ClipSpec spec() {
    if (bundle != null) {
      return BundleClipSpec.read(bundle);
    }
    return ClipSpec.of(geometry.frames, geometry.stride, geometry.fps, geometry.shortSide);
  }

  StreamSettings settings() {
    ClipSpec spec = spec();
    int send = jpegShortSide != null ? jpegShortSide : spec.shortSide();
    ReconnectPolicy policy =
        new ReconnectPolicy(
            reconnectAttempts,
            Duration.ofMillis(reconnectBackoffMs),
            Duration.ofMillis(Math.max(reconnectBackoffMs, 30_000)));
    return new StreamSettings(
        input, inputFormat, spec, send, jpegQuality, realtime, firstSecond, policy, timeoutMs);
  }

  String defaultVideoId() {
    if (input == null) {
      return videoId;
    }
    String name = Path.of(input.replaceAll("[?#].*$", "")).getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  PersonBoxSource personSource() {
    PersonsKind kind =
        persons != null ? persons : (proposals != null ? PersonsKind.proposals : PersonsKind.hog);
    if (kind == PersonsKind.proposals) {
      if (proposals == null) {
        throw new IllegalArgumentException("--persons proposals needs --proposals CSV");
      }
      String vid = videoId != null ? videoId : defaultVideoId();
      Set<Integer> excluded = new TreeSet<>();
      if (exclusions != null) {
        if (!Files.isRegularFile(exclusions)) {
          throw new IllegalArgumentException("exclusions file not found: " + exclusions);
        }
        ExclusionsCsv.read(exclusions).stream()
            .filter(k -> k.videoId().equals(vid))
            .forEach(k -> excluded.add(k.timestamp()));
      }
      return ProposalBoxes.load(proposals, vid, proposalThreshold, excluded);
    }
    return new HogPersonBoxes(
        hog.settings(), new IouTracker(hog.trackIou, hog.trackSmoothing, hog.trackHold));
  }
}
