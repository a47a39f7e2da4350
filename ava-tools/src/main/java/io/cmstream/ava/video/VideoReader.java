package io.cmstream.ava.video;

import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/** Decodes the video frames of a file (or URL) with javacv/FFmpeg, in presentation order. */
public final class VideoReader implements AutoCloseable {

  /** One decoded frame: presentation time in seconds and RGB pixels. */
  public record DecodedFrame(double seconds, RgbImage image) {}

  private final FFmpegFrameGrabber grabber;
  private final Java2DFrameConverter converter = new Java2DFrameConverter();
  private final String source;

  private VideoReader(FFmpegFrameGrabber grabber, String source) {
    this.grabber = grabber;
    this.source = source;
  }

  /** Opens a video file; a missing, unreadable or non-video file fails with a one-line message. */
  public static VideoReader open(Path file) {
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException("no such video file: " + file);
    if (!Files.isReadable(file))
      throw new IllegalArgumentException("cannot read video file: " + file);
    return open(file.toString());
  }

  /** Opens a video file or stream URL (rtsp://, ...). */
  public static VideoReader open(String source) {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(source);
    g.setPixelFormat(avutil.AV_PIX_FMT_BGR24); // 3-byte BGR whatever the frame width
    FfmpegLog.quiet();
    try {
      g.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      try {
        g.release();
      } catch (FrameGrabber.Exception ignored) {
        // already failing
      }
      throw new IllegalArgumentException(
          "cannot open video " + source + ": " + firstLine(e.getMessage()), e);
    }
    if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
      try {
        g.release();
      } catch (FrameGrabber.Exception ignored) {
        // reporting the real problem below
      }
      throw new IllegalArgumentException("no video stream in " + source);
    }
    return new VideoReader(g, source);
  }

  private static String firstLine(String s) {
    if (s == null) return "unreadable";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  public int width() {
    return grabber.getImageWidth();
  }

  public int height() {
    return grabber.getImageHeight();
  }

  /** Frame rate the container reports (may be approximate for variable-rate video). */
  public double frameRate() {
    return grabber.getFrameRate();
  }

  /** Duration in seconds as the container reports it (0 when unknown, e.g. live streams). */
  public double durationSeconds() {
    return Math.max(0, grabber.getLengthInTime() / 1e6);
  }

  /** The next decoded video frame, or empty at the end of the video. */
  public Optional<DecodedFrame> next() {
    try {
      Frame f = grabber.grabImage();
      if (f == null) return Optional.empty();
      return Optional.of(new DecodedFrame(f.timestamp / 1e6, toRgb(f)));
    } catch (FrameGrabber.Exception e) {
      throw new IllegalStateException(
          "cannot decode " + source + ": " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * Copies a BGR24 frame to RGB. The row stride comes from FFmpeg (rows may be padded); javacv
   * derives its channel count from that stride, so it is not trusted here.
   */
  private RgbImage toRgb(Frame f) {
    int w = f.imageWidth;
    int h = f.imageHeight;
    int stride = f.imageStride;
    if (!(f.image[0] instanceof ByteBuffer buf)
        || f.imageDepth != Frame.DEPTH_UBYTE
        || stride < w * 3) {
      return JpegCodec.fromBufferedImage(converter.convert(f));
    }
    byte[] rgb = new byte[w * h * 3];
    byte[] row = new byte[w * 3];
    for (int y = 0; y < h; y++) {
      buf.get(y * stride, row, 0, w * 3);
      int o = y * w * 3;
      for (int i = 0; i < row.length; i += 3) {
        rgb[o + i] = row[i + 2];
        rgb[o + i + 1] = row[i + 1];
        rgb[o + i + 2] = row[i];
      }
    }
    return new RgbImage(w, h, rgb);
  }

  @Override
  public void close() {
    try {
      grabber.stop();
      grabber.release();
    } catch (FrameGrabber.Exception e) {
      throw new IllegalStateException("cannot close " + source + ": " + e.getMessage(), e);
    }
  }
}
