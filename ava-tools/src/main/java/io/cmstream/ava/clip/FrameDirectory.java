package io.cmstream.ava.clip;

import io.cmstream.common.clip.ClipSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of one video in the PySlowFast AVA layout: {@code <root>/<vid>/<vid>_<n:06d>.jpg}
 * where {@code n = index + 1} (files are numbered from 1 like ffmpeg's {@code %06d} output, frame
 * index 0 is shown at time 0). Frame indices are 0-based everywhere in code and in frame lists.
 */
public final class FrameDirectory {
  private final Path root;
  private final String videoId;
  private final int frameCount;

  /** Opens the frame folder of {@code videoId} under {@code framesRoot} and counts its frames. */
  public FrameDirectory(Path framesRoot, String videoId) {
    this.root = framesRoot;
    this.videoId = videoId;
    Path dir = framesRoot.resolve(videoId);
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("no frame folder " + dir);
    int n = 0;
    while (Files.isRegularFile(framePath(framesRoot, videoId, n))) n++;
    if (n == 0)
      throw new IllegalArgumentException(
          "no frames in " + dir + " (expected " + fileName(videoId, 0) + ")");
    this.frameCount = n;
  }

  /** File name of frame {@code index} (0-based): {@code <vid>_<index+1:06d>.jpg}. */
  public static String fileName(String videoId, int index) {
    return String.format("%s_%06d.jpg", videoId, index + 1);
  }

  /** Path of frame {@code index} relative to the frames root: {@code <vid>/<file>}. */
  public static String relativePath(String videoId, int index) {
    return videoId + "/" + fileName(videoId, index);
  }

  public static Path framePath(Path framesRoot, String videoId, int index) {
    return framesRoot.resolve(videoId).resolve(fileName(videoId, index));
  }

  public String videoId() {
    return videoId;
  }

  public int frameCount() {
    return frameCount;
  }

  /** The JPEG bytes of frame {@code index}. */
  public byte[] jpeg(int index) {
    if (index < 0 || index >= frameCount)
      throw new IndexOutOfBoundsException("frame " + index + " of " + frameCount);
    Path p = framePath(root, videoId, index);
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  /**
   * The JPEG bytes of the clip of keyframe {@code second} (indices from {@link
   * ClipSpec#frameIndices}).
   */
  public List<byte[]> clipJpegs(ClipSpec spec, double second) {
    int[] idx = spec.frameIndices(second, frameCount);
    List<byte[]> out = new ArrayList<>(idx.length);
    for (int i : idx) out.add(jpeg(i));
    return out;
  }
}
