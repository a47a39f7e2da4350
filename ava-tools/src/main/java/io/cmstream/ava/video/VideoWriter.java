package io.cmstream.ava.video;

import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Writes an mp4 video with javacv/FFmpeg: H.264 through libopenh264 when the FFmpeg build has it,
 * MPEG-4 part 2 otherwise (or when asked for). Frames are 8-bit RGB of a fixed size.
 */
public final class VideoWriter implements AutoCloseable {

  /** Video codec preference. */
  public enum Codec {
    /** H.264 via libopenh264, falling back to MPEG-4 if the encoder cannot open. */
    H264,
    /** MPEG-4 part 2 (FFmpeg's native encoder), high quality. */
    MPEG4
  }

  private final FFmpegFrameRecorder recorder;
  private final Java2DFrameConverter converter = new Java2DFrameConverter();
  private final String codecName;
  private final int width;
  private final int height;

  private VideoWriter(FFmpegFrameRecorder recorder, String codecName, int width, int height) {
    this.recorder = recorder;
    this.codecName = codecName;
    this.width = width;
    this.height = height;
  }

  /**
   * Opens {@code file} (mp4) for frames of {@code width x height} at {@code fps}, a keyframe every
   * second.
   */
  public static VideoWriter open(Path file, int width, int height, double fps, Codec codec) {
    return open(file, width, height, fps, codec, (int) Math.max(1, Math.round(fps)));
  }

  /**
   * As {@link #open(Path, int, int, double, Codec)} with a keyframe every {@code keyframeInterval}
   * frames; 1 (every frame a keyframe) keeps thin drawn lines from lingering as faint ghosts on the
   * next frames (libopenh264 skips their small residuals).
   */
  public static VideoWriter open(
      Path file, int width, int height, double fps, Codec codec, int keyframeInterval) {
    if (keyframeInterval < 1)
      throw new IllegalArgumentException("keyframe interval must be >= 1, got " + keyframeInterval);
    if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException(
          "video size must be even and >= 2, got " + width + "x" + height);
    }
    if (!(fps > 0)) throw new IllegalArgumentException("fps must be > 0, got " + fps);
    if (codec == Codec.H264) {
      try {
        return start(file, width, height, fps, true, keyframeInterval);
      } catch (FrameRecorder.Exception | RuntimeException e) {
        // the FFmpeg build may lack libopenh264: use MPEG-4 below
      }
    }
    try {
      return start(file, width, height, fps, false, keyframeInterval);
    } catch (FrameRecorder.Exception e) {
      throw new IllegalStateException(
          "cannot open video writer for " + file + ": " + e.getMessage(), e);
    }
  }

  private static VideoWriter start(
      Path file, int width, int height, double fps, boolean h264, int keyframeInterval)
      throws FrameRecorder.Exception {
    FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
    r.setFormat("mp4");
    r.setFrameRate(fps);
    r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    r.setGopSize(keyframeInterval);
    FfmpegLog.quiet();
    r.setVideoOption("flags", "+bitexact");
    r.setVideoOption("threads", "1");
    String name;
    if (h264) {
      r.setVideoCodecName("libopenh264");
      r.setVideoBitrate(bitrate(width, height, fps));
      name = "h264 (libopenh264)";
    } else {
      r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      r.setVideoBitrate(bitrate(width, height, fps));
      name = "mpeg4";
    }
    try {
      r.start();
    } catch (FrameRecorder.Exception | RuntimeException e) {
      try {
        r.release();
      } catch (FrameRecorder.Exception ignored) {
        // already failing
      }
      throw e;
    }
    return new VideoWriter(r, name, width, height);
  }

  /** About 2 bits per pixel: near-lossless for synthetic and downscaled video. */
  private static int bitrate(int width, int height, double fps) {
    return (int) Math.min(50_000_000, Math.max(1_000_000, width * (double) height * fps * 2));
  }

  /** The codec in use, e.g. "h264 (libopenh264)" or "mpeg4". */
  public String codecName() {
    return codecName;
  }

  public void write(RgbImage frame) {
    write(JpegCodec.toBufferedImage(frame));
  }

  public void write(BufferedImage frame) {
    if (frame.getWidth() != width || frame.getHeight() != height) {
      throw new IllegalArgumentException(
          "frame is "
              + frame.getWidth()
              + "x"
              + frame.getHeight()
              + ", video is "
              + width
              + "x"
              + height);
    }
    try {
      recorder.record(converter.convert(frame), avutil.AV_PIX_FMT_BGR24);
    } catch (FrameRecorder.Exception e) {
      throw new IllegalStateException("cannot encode frame: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      recorder.stop();
      recorder.release();
    } catch (FrameRecorder.Exception e) {
      throw new IllegalStateException("cannot finish video: " + e.getMessage(), e);
    }
  }
}
