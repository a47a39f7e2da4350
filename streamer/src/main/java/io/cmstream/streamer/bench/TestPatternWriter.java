package io.cmstream.streamer.bench;

import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Writes an FFmpeg test pattern (colour bars, a moving box, a frame counter) at any size and rate,
 * H.264 (libopenh264) when the FFmpeg build has it, MPEG-4 part 2 otherwise.
 */
public final class TestPatternWriter {
  private TestPatternWriter() {}

  /** Writes {@code frames} frames; returns the codec used. */
  public static String write(Path file, int width, int height, double fps, int frames)
      throws FrameRecorder.Exception {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    String codec =
        avcodec.avcodec_find_encoder_by_name("libopenh264") != null ? "libopenh264" : "mpeg4";
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
        Mat img = new Mat(height, width, opencv_core.CV_8UC3)) {
      rec.setFormat("mp4");
      rec.setVideoCodecName(codec);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setFrameRate(fps);
      rec.setVideoBitrate((int) Math.min(Integer.MAX_VALUE, (long) width * height * 4L));
      rec.setGopSize((int) Math.round(fps * 2));
      rec.start();
      Scalar[] bars = {
        new Scalar(192, 192, 192, 0),
        new Scalar(0, 192, 192, 0),
        new Scalar(192, 192, 0, 0),
        new Scalar(0, 192, 0, 0),
        new Scalar(192, 0, 192, 0),
        new Scalar(0, 0, 192, 0),
        new Scalar(192, 0, 0, 0)
      };
      for (int i = 0; i < frames; i++) {
        int bw = width / bars.length + 1;
        for (int b = 0; b < bars.length; b++) {
          rectangle(img, new Point(b * bw, 0), new Point((b + 1) * bw, height), bars[b], -1, 8, 0);
        }
        int size = height / 6;
        int x = (int) ((i * 7L) % Math.max(1, width - size));
        int y = (int) ((i * 3L) % Math.max(1, height - size));
        rectangle(
            img,
            new Point(x, y),
            new Point(x + size, y + size),
            new Scalar(255, 255, 255, 0),
            -1,
            8,
            0);
        putText(
            img,
            "frame " + i,
            new Point(width / 20, height - height / 10),
            FONT_HERSHEY_SIMPLEX,
            height / 300.0,
            new Scalar(16, 16, 16, 0),
            Math.max(1, height / 200),
            8,
            false);
        rec.record(conv.convert(img));
      }
      rec.stop();
    }
    return codec;
  }
}
