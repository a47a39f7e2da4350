package io.cmstream.ava.video;

import io.cmstream.ava.clip.FrameDirectory;
import io.cmstream.ava.clip.JpegCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Extracts the frames of video files into the PySlowFast AVA layout ({@code
 * <out>/<vid>/<vid>_<n:06d>.jpg}, n from 1), resampled to a fixed rate by timestamp ({@link
 * FrameResampler}) and encoded with the project's {@link JpegCodec}.
 */
public final class FrameExtractor {
  /** File name endings taken as videos. */
  public static final Set<String> VIDEO_EXTENSIONS =
      Set.of("mp4", "mkv", "avi", "webm", "mov", "m4v", "mpg", "mpeg", "flv");

  private final double fps;
  private final JpegCodec codec;

  public FrameExtractor(double fps, float jpegQuality) {
    if (!(fps > 0 && fps <= 240))
      throw new IllegalArgumentException("fps must be in (0, 240], got " + fps);
    this.fps = fps;
    this.codec = new JpegCodec(jpegQuality);
  }

  /** The video files of a folder (or the file itself), sorted by name. */
  public static List<Path> videosIn(Path dirOrFile) {
    if (Files.isRegularFile(dirOrFile)) return List.of(dirOrFile);
    if (!Files.isDirectory(dirOrFile))
      throw new IllegalArgumentException("no such video folder or file: " + dirOrFile);
    try (Stream<Path> s = Files.list(dirOrFile)) {
      List<Path> videos =
          s.filter(Files::isRegularFile)
              .filter(p -> VIDEO_EXTENSIONS.contains(extension(p)))
              .sorted()
              .toList();
      if (videos.isEmpty()) {
        throw new IllegalArgumentException(
            "no video files ("
                + String.join(", ", VIDEO_EXTENSIONS.stream().sorted().toList())
                + ") in "
                + dirOrFile);
      }
      return videos;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + dirOrFile + ": " + e.getMessage(), e);
    }
  }

  /** The video id of a file: its name without the extension. */
  public static String videoId(Path video) {
    String n = video.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  private static String extension(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Frames the video should give at this rate, from its container duration (0 if unknown). */
  public long expectedFrames(Path video) {
    try (VideoReader r = VideoReader.open(video)) {
      return (long) Math.ceil(r.durationSeconds() * fps);
    }
  }

  /**
   * Extracts one video into {@code framesRoot/<vid>/}; returns the number of frames written.
   *
   * @param progress receives 1 per frame written
   */
  public int extract(Path video, Path framesRoot, LongConsumer progress) {
    String vid = videoId(video);
    Path dir = framesRoot.resolve(vid);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create " + dir + ": " + e, e);
    }
    try (VideoReader reader = VideoReader.open(video)) {
      FrameResampler resampler =
          new FrameResampler(
              fps,
              (img, k) -> {
                try {
                  Files.write(dir.resolve(FrameDirectory.fileName(vid, k)), codec.encode(img));
                } catch (IOException e) {
                  throw new UncheckedIOException(
                      "cannot write frame " + k + " of " + vid + ": " + e.getMessage(), e);
                }
                progress.accept(1);
              });
      while (true) {
        var f = reader.next();
        if (f.isEmpty()) break;
        resampler.accept(f.get().seconds(), f.get().image());
      }
      int n = resampler.finish();
      if (n == 0) throw new IllegalArgumentException("no frames decoded from " + video);
      return n;
    }
  }
}
