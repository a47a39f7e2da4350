package io.cmstream.streamer.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A video source decoded by FFmpeg (javacv): a file in any format FFmpeg reads, a network stream
 * URL (rtsp, rtmp, http(s), udp, tcp, srt) or a webcam ({@code webcam:N} or {@code /dev/videoN},
 * through v4l2). Yields BGR frames with their raw timestamps.
 */
public final class VideoInput implements AutoCloseable {
  private static final Set<String> NETWORK_SCHEMES =
      Set.of(
          "rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "udp", "tcp", "srt", "rtp", "mms",
          "hls");

  private final String source;
  private final FFmpegFrameGrabber grabber;
  private final boolean network;
  private final boolean live;
  private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();

  private VideoInput(String source, FFmpegFrameGrabber grabber, boolean network, boolean live) {
    this.source = source;
    this.grabber = grabber;
    this.network = network;
    this.live = live;
  }

  /** What kind of source a string names. */
  public enum Kind {
    FILE,
    NETWORK,
    WEBCAM
  }

  public static Kind kindOf(String source) {
    String s = source.toLowerCase(Locale.ROOT);
    if (s.startsWith("webcam:") || s.startsWith("/dev/video")) {
      return Kind.WEBCAM;
    }
    int colon = s.indexOf("://");
    if (colon > 0 && NETWORK_SCHEMES.contains(s.substring(0, colon))) {
      return Kind.NETWORK;
    }
    return Kind.FILE;
  }

  /**
   * Opens and starts decoding a source.
   *
   * @param format FFmpeg input format to force (null = probe)
   * @param timeoutMillis network I/O timeout
   * @throws VideoInputException with a one-line reason when the source cannot be opened
   */
  public static VideoInput open(String source, String format, int timeoutMillis) {
    quietFfmpegLogs();
    Kind kind = kindOf(source);
    String target = source;
    if (kind == Kind.FILE) {
      String path = source.startsWith("file://") ? source.substring(7) : source;
      Path p = Path.of(path);
      if (!Files.exists(p)) {
        throw new VideoInputException("input not found: " + source);
      }
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new VideoInputException("input is not a readable file: " + source);
      }
      target = p.toString();
    } else if (kind == Kind.WEBCAM) {
      target = source.startsWith("webcam:") ? "/dev/video" + source.substring(7) : source;
      if (format == null) {
        format = "v4l2";
      }
    }
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(target);
    if (format != null) {
      g.setFormat(format);
    }
    if (kind != Kind.FILE) {
      // live: hand each frame on as soon as it is decoded (no demuxer buffering, no decoder delay)
      g.setOption("fflags", "nobuffer");
      g.setVideoOption("flags", "low_delay");
    }
    if (kind == Kind.NETWORK) {
      String micros = Long.toString(timeoutMillis * 1000L);
      g.setOption("rw_timeout", micros);
      g.setOption("timeout", micros);
      if (source.toLowerCase(Locale.ROOT).startsWith("rtsp")) {
        g.setOption("rtsp_transport", "tcp");
      }
    }
    try {
      g.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly(g);
      throw new VideoInputException(describeOpenFailure(kind, source, e), e);
    }
    if (g.getVideoStream() < 0 || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
      closeQuietly(g);
      throw new VideoInputException("not a video (no video stream found): " + source);
    }
    return new VideoInput(source, g, kind == Kind.NETWORK, kind != Kind.FILE);
  }

  private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-?\\d+)");

  /** FFmpeg's own words for the error code in a javacv message ("Connection refused", ...). */
  static String reason(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Matcher matcher = FFMPEG_ERROR.matcher(m);
    if (matcher.find()) {
      try (BytePointer buf = new BytePointer(256)) {
        int code = Integer.parseInt(matcher.group(1));
        if (avutil.av_strerror(code, buf, 256) == 0) {
          byte[] b = new byte[256];
          buf.get(b);
          int n = 0;
          while (n < b.length && b[n] != 0) {
            n++;
          }
          return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
        }
      } catch (NumberFormatException ignored) {
        // fall through to the raw message
      }
    }
    int hint = m.indexOf(" (Has setFormat()");
    return hint > 0 ? m.substring(0, hint) : m;
  }

  private static String describeOpenFailure(Kind kind, String source, Exception e) {
    String reason = reason(e);
    return switch (kind) {
      case FILE -> "cannot read as a video: " + source + " (" + reason + ")";
      case NETWORK ->
          "cannot open stream " + source + " (unreachable or not a video stream: " + reason + ")";
      case WEBCAM -> "cannot open webcam " + source + " (" + reason + ")";
    };
  }

  private static void quietFfmpegLogs() {
    // like ava-tools' readers: FFmpeg's console log is silenced, its problems surface as
    // one-line errors; CM_DEBUG=1 shows it
    avutil.av_log_set_level(
        System.getenv("CM_DEBUG") != null ? avutil.AV_LOG_INFO : avutil.AV_LOG_QUIET);
  }

  /** The next decoded frame as a BGR Mat (valid until the next call), or null at the end. */
  public Mat grab() {
    try {
      Frame f = grabber.grabImage();
      if (f == null || f.image == null) {
        return null;
      }
      return converter.convert(f);
    } catch (FrameGrabber.Exception e) {
      throw new VideoInputException("decoding failed: " + source + " (" + reason(e) + ")", e);
    }
  }

  /** Timestamp of the last grabbed frame, microseconds, as the container reports it. */
  public long timestampMicros() {
    return grabber.getTimestamp();
  }

  /** Nominal frame rate the container reports (0 when unknown). */
  public double frameRate() {
    double r = grabber.getFrameRate();
    return Double.isFinite(r) && r > 0 && r < 1000 ? r : 0;
  }

  /** Duration of the video in microseconds, or 0 when unknown (live sources). */
  public long lengthMicros() {
    return live ? 0 : Math.max(0, grabber.getLengthInTime());
  }

  public int width() {
    return grabber.getImageWidth();
  }

  public int height() {
    return grabber.getImageHeight();
  }

  public boolean isNetwork() {
    return network;
  }

  public boolean isLive() {
    return live;
  }

  public String source() {
    return source;
  }

  @Override
  public void close() {
    closeQuietly(grabber);
    converter.close();
  }

  private static void closeQuietly(FFmpegFrameGrabber g) {
    try {
      g.stop();
      g.release();
    } catch (Exception ignored) {
      // closing a broken input: nothing to report
    }
  }
}
