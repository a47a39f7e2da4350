package io.cmstream.ava.synth;

/**
 * Knobs of the synthetic dataset. Every default is here, in one place.
 *
 * @param seed random seed: the same seed and knobs give byte-identical CSVs and frames
 * @param videos number of videos (>= 2; the last quarter, at least one, is the val split)
 * @param seconds length of each video in seconds (8..3600); keyframes 1..seconds-2 are annotated
 * @param fps frame rate (2..60, even so that a one-second clip is centred on its keyframe)
 * @param width frame width in pixels (64..1920, even)
 * @param height frame height in pixels (48..1080, even)
 * @param actors persons per video (1..6)
 * @param jpegQuality JPEG quality of the frames (0.5..1)
 */
public record SynthConfig(
    long seed,
    int videos,
    int seconds,
    int fps,
    int width,
    int height,
    int actors,
    float jpegQuality) {

  public static final int DEFAULT_VIDEOS = 20;
  public static final int DEFAULT_SECONDS = 40;
  public static final int DEFAULT_FPS = 8;
  public static final int DEFAULT_WIDTH = 160;
  public static final int DEFAULT_HEIGHT = 120;
  public static final int DEFAULT_ACTORS = 3;
  public static final float DEFAULT_JPEG_QUALITY = 0.9f;

  public SynthConfig {
    range("videos", videos, 2, 10_000);
    range("seconds", seconds, 8, 3600);
    range("fps", fps, 2, 60);
    if (fps % 2 != 0) throw new IllegalArgumentException("fps must be even, got " + fps);
    range("width", width, 64, 1920);
    range("height", height, 48, 1080);
    if (width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("size must be even, got " + width + "x" + height);
    }
    range("actors", actors, 1, 6);
    if (!(jpegQuality >= 0.5f && jpegQuality <= 1f)) {
      throw new IllegalArgumentException("jpeg quality must be in [0.5, 1], got " + jpegQuality);
    }
  }

  /** The default dataset with a seed. */
  public static SynthConfig defaults(long seed) {
    return new SynthConfig(
        seed,
        DEFAULT_VIDEOS,
        DEFAULT_SECONDS,
        DEFAULT_FPS,
        DEFAULT_WIDTH,
        DEFAULT_HEIGHT,
        DEFAULT_ACTORS,
        DEFAULT_JPEG_QUALITY);
  }

  private static void range(String name, int v, int lo, int hi) {
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
    }
  }

  /** Number of val videos: a quarter of the videos, at least one. */
  public int valVideos() {
    return Math.max(1, Math.round(videos / 4f));
  }

  /** Whether video {@code index} belongs to the val split (the last {@link #valVideos()}). */
  public boolean isVal(int index) {
    return index >= videos - valVideos();
  }

  /** The id of video {@code index}: {@code syn000}, {@code syn001}, ... */
  public static String videoId(int index) {
    return String.format("syn%03d", index);
  }

  public int framesPerVideo() {
    return seconds * fps;
  }

  /** First and last annotated keyframe second. */
  public int firstKeyframe() {
    return 1;
  }

  public int lastKeyframe() {
    return seconds - 2;
  }
}
