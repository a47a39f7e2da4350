package io.cmstream.ava.viz;

import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.video.VideoReader;
import io.cmstream.ava.video.VideoWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Writes an annotated copy of a video: every frame gets the boxes of the second it belongs to
 * (AVA keyframe second t covers presentation times [t - 0.5, t + 0.5)).
 */
public final class VideoAnnotator {

  /** What was written. */
  public record Result(int frames, int width, int height, double fps, String codec) {}

  private VideoAnnotator() {}

  /**
   * @param timestampOffset second number of the video's first frame (0 for the project's own
   *     videos; AVA's 15-minute cuts start at 900)
   * @param onFrame called with the frame count written so far (for progress)
   */
  public static Result annotate(Path video, SecondLabels labels, int timestampOffset, Path out, IntConsumer onFrame) {
    try (VideoReader reader = VideoReader.open(video)) {
      int w = reader.width() & ~1;
      int h = reader.height() & ~1;
      double fps = reader.frameRate() > 0 ? reader.frameRate() : 25;
      FrameAnnotator annotator = FrameAnnotator.forWidth(w);
      int frames = 0;
      try (VideoWriter writer = VideoWriter.open(out, w, h, fps, VideoWriter.Codec.H264)) {
        Optional<VideoReader.DecodedFrame> f;
        while ((f = reader.next()).isPresent()) {
          double t = f.get().seconds();
          int second = (int) Math.floor(t + 0.5) + timestampOffset;
          BufferedImage img = JpegCodec.toBufferedImage(f.get().image());
          if (img.getWidth() != w || img.getHeight() != h) {
            img = img.getSubimage(0, 0, w, h);
          }
          writer.write(annotator.annotate(img, labels.at(second), String.format(java.util.Locale.ROOT, "t=%ds", second)));
          frames++;
          onFrame.accept(frames);
        }
        return new Result(frames, w, h, fps, writer.codecName());
      }
    }
  }
}
