package io.cmstream.streamer.video;

import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Test videos written with FFmpeg (javacv's FFmpegFrameRecorder): every frame shows its own frame
 * number as a 4x4 grid of black/white blocks (16 bits), readable after MPEG-4 and JPEG compression
 * and resizing. Frame times are explicit, so variable frame rates are exact.
 */
public final class TestPatternVideo {
  private TestPatternVideo() {}

  /** Writes {@code timesMicros.length} frames shown at the given times (strictly increasing). */
  public static void write(Path file, int width, int height, double nominalFps, long[] timesMicros)
      throws Exception {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    boolean vfr = !isConstant(timesMicros, nominalFps);
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
      rec.setFormat(file.toString().endsWith(".avi") ? "avi" : "matroska");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      // a fine time base for variable frame rate (timestamps in ms), the nominal one otherwise
      rec.setFrameRate(vfr ? 1000 : nominalFps);
      rec.setVideoQuality(2);
      rec.setGopSize(12);
      rec.start();
      Mat img = new Mat(height, width, opencv_core.CV_8UC3);
      for (int i = 0; i < timesMicros.length; i++) {
        draw(img, i);
        if (vfr) {
          rec.setTimestamp(timesMicros[i]);
        }
        rec.record(conv.convert(img));
      }
      rec.stop();
    }
  }

  /** Frame times of a constant-rate video: frame i at i / fps. */
  public static long[] constantTimes(int frames, double fps) {
    long[] t = new long[frames];
    for (int i = 0; i < frames; i++) {
      t[i] = Math.round(i * 1_000_000.0 / fps);
    }
    return t;
  }

  private static boolean isConstant(long[] t, double fps) {
    for (int i = 0; i < t.length; i++) {
      if (Math.abs(t[i] - i * 1_000_000.0 / fps) > 1000) {
        return false;
      }
    }
    return true;
  }

  /** Paints frame number {@code n} on a mid-grey background. */
  public static void draw(Mat img, int n) {
    img.put(new Scalar(128, 128, 128, 0));
    int w = img.cols();
    int h = img.rows();
    int bw = w / 4;
    int bh = h / 4;
    for (int bit = 0; bit < 16; bit++) {
      int x = (bit % 4) * bw;
      int y = (bit / 4) * bh;
      int v = ((n >> bit) & 1) == 1 ? 255 : 0;
      rectangle(
          img,
          new Point(x + bw / 6, y + bh / 6),
          new Point(x + bw - bw / 6, y + bh - bh / 6),
          new Scalar(v, v, v, 0),
          -1,
          8,
          0);
    }
  }

  /** Reads the frame number painted by {@link #draw} from a (decoded, maybe resized) BGR frame. */
  public static int read(Mat img) {
    int w = img.cols();
    int h = img.rows();
    int n = 0;
    org.bytedeco.javacpp.indexer.UByteIndexer px = img.createIndexer();
    for (int bit = 0; bit < 16; bit++) {
      int cx = (bit % 4) * (w / 4) + w / 8;
      int cy = (bit / 4) * (h / 4) + h / 8;
      int v = (px.get(cy, cx, 0) + px.get(cy, cx, 1) + px.get(cy, cx, 2)) / 3;
      if (v > 128) {
        n |= 1 << bit;
      }
    }
    px.close();
    return n;
  }
}
