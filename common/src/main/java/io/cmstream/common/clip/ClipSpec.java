package io.cmstream.common.clip;

import io.cmstream.schemas.manifest.ModelManifest;
import java.util.Arrays;

/**
 * How one clip is sampled and preprocessed; shared by training and serving so both see identical
 * tensors.
 *
 * <p>Sampling (PySlowFast AVA convention): the clip of keyframe second {@code s} is centred on
 * frame {@code c = round(s * fps)} (frame {@code i} is shown at time {@code i / fps}); its {@code
 * frames} indices are {@code c - frames*stride/2 + k*stride} for {@code k = 0..frames-1}, clamped
 * to {@code [0, videoFrames-1]} (edge frames are repeated at the video borders). So the keyframe is
 * the clip's frame number {@code frames/2} and, with {@code frames*stride == fps}, the clip covers
 * exactly {@code [s - 0.5 s, s + 0.5 s)}.
 *
 * <p>Preprocessing: decode JPEG, resize so the short side is {@code shortSide} (long side {@code
 * floor(long * shortSide / short)}, bilinear with half-pixel centres), optionally crop (in
 * training: a random {@code cropSize} square; {@code cropSize == 0} means training crops to the
 * evaluation size), scale to [0,1], normalise per RGB channel {@code (x - mean) / std}, layout
 * {@code [3, frames, H, W]}.
 *
 * @param frames T, number of frames in the clip (>= 1)
 * @param stride tau, frame step between sampled frames (>= 1)
 * @param fps frame rate of the frame folders / stream (> 0)
 * @param shortSide evaluation short side in pixels (>= 1)
 * @param cropSize training crop (square side, 0 = crop to the evaluation output size)
 * @param mean per-channel RGB mean on the [0,1] scale (3 values)
 * @param std per-channel RGB std on the [0,1] scale (3 values, > 0)
 */
public record ClipSpec(
    int frames, int stride, double fps, int shortSide, int cropSize, float[] mean, float[] std) {

  /** PySlowFast's defaults for Kinetics/AVA normalisation. */
  public static final float[] DEFAULT_MEAN = {0.45f, 0.45f, 0.45f};

  public static final float[] DEFAULT_STD = {0.225f, 0.225f, 0.225f};

  public ClipSpec {
    if (frames < 1) throw new IllegalArgumentException("clip frames must be >= 1, got " + frames);
    if (stride < 1) throw new IllegalArgumentException("clip stride must be >= 1, got " + stride);
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("clip fps must be > 0, got " + fps);
    }
    if (shortSide < 1)
      throw new IllegalArgumentException("short side must be >= 1, got " + shortSide);
    if (cropSize < 0) throw new IllegalArgumentException("crop size must be >= 0, got " + cropSize);
    if (mean == null || mean.length != 3 || std == null || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values (R,G,B)");
    }
    for (float s : std) {
      if (!(s > 0))
        throw new IllegalArgumentException("std must be > 0, got " + Arrays.toString(std));
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** The clip settings a model bundle's manifest records (serve as the model was trained). */
  public static ClipSpec of(ModelManifest.Clip clip) {
    float[] mean = new float[clip.mean().size()];
    float[] std = new float[clip.std().size()];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = clip.mean().get(i).floatValue();
    }
    for (int i = 0; i < std.length; i++) {
      std[i] = clip.std().get(i).floatValue();
    }
    return new ClipSpec(
        clip.frames(), clip.stride(), clip.fps(), clip.shortSide(), clip.cropSize(), mean, std);
  }

  /** A spec with PySlowFast's default mean/std and no explicit training crop. */
  public static ClipSpec of(int frames, int stride, double fps, int shortSide) {
    return new ClipSpec(frames, stride, fps, shortSide, 0, DEFAULT_MEAN, DEFAULT_STD);
  }

  /** Number of video frames the clip spans ({@code frames * stride}). */
  public int span() {
    return frames * stride;
  }

  /** Index of the frame shown at keyframe second {@code second}: {@code round(second * fps)}. */
  public int centerFrame(double second) {
    return (int) Math.round(second * fps);
  }

  /** Keyframe second whose one-second interval [s-0.5, s+0.5) holds frame {@code index}. */
  public long secondOfFrame(int index) {
    return (long) Math.floor(index / fps + 0.5);
  }

  /**
   * The clip's frame indices for a keyframe second: T indices with stride tau, keyframe at position
   * T/2, clamped to the video (edge frames repeated).
   *
   * @param second keyframe time in seconds from the start of the frames
   * @param videoFrames number of frames of the video (>= 1)
   */
  public int[] frameIndices(double second, int videoFrames) {
    return frameIndicesAround(centerFrame(second), videoFrames);
  }

  /** Like {@link #frameIndices(double, int)} but from the centre frame index. */
  public int[] frameIndicesAround(int centerFrame, int videoFrames) {
    if (videoFrames < 1) throw new IllegalArgumentException("video has no frames");
    int[] idx = new int[frames];
    int start = centerFrame - span() / 2;
    for (int k = 0; k < frames; k++) {
      idx[k] = Math.max(0, Math.min(videoFrames - 1, start + k * stride));
    }
    return idx;
  }

  /** Evaluation output size {width, height} for a source frame size (short side resized). */
  public int[] evalSize(int srcWidth, int srcHeight) {
    return resizedSize(srcWidth, srcHeight, shortSide);
  }

  /** Size {width, height} after resizing the short side to {@code side} (PySlowFast rounding). */
  public static int[] resizedSize(int srcWidth, int srcHeight, int side) {
    if (srcWidth < 1 || srcHeight < 1) throw new IllegalArgumentException("empty frame");
    if (srcWidth <= srcHeight) {
      return new int[] {side, (int) Math.floor((double) srcHeight / srcWidth * side)};
    }
    return new int[] {(int) Math.floor((double) srcWidth / srcHeight * side), side};
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClipSpec c
        && frames == c.frames
        && stride == c.stride
        && Double.compare(fps, c.fps) == 0
        && shortSide == c.shortSide
        && cropSize == c.cropSize
        && Arrays.equals(mean, c.mean)
        && Arrays.equals(std, c.std);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new double[] {frames, stride, fps, shortSide, cropSize})
        + 31 * Arrays.hashCode(mean)
        + 961 * Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "ClipSpec[T="
        + frames
        + ", stride="
        + stride
        + ", fps="
        + fps
        + ", shortSide="
        + shortSide
        + ", crop="
        + cropSize
        + ", mean="
        + Arrays.toString(mean)
        + ", std="
        + Arrays.toString(std)
        + "]";
  }
}
