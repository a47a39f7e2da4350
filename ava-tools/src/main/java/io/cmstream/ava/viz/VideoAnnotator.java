package io.cmstream.ava.viz;

import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.video.VideoReader;
import io.cmstream.ava.video.VideoWriter;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Writes an annotated copy of a video: every frame gets the boxes of the second it belongs to (AVA
 * keyframe second t covers presentation times [t - 0.5, t + 0.5)).
 */
public final class VideoAnnotator {

  /** What was written. */
  public record Result(int frames, int width, int height, double fps, String codec) {}

  private VideoAnnotator() {}

  /** Videos narrower than this are scaled up so boxes and labels can be read. */
  public static final int MIN_WIDTH = 640;

  /**
   * As {@link #annotate(Path, SecondLabels, int, int, String, Path, IntConsumer)} with {@link
   * #MIN_WIDTH} and a legend that explains the boxes.
   */
  public static Result annotate(
      Path video, SecondLabels labels, int timestampOffset, Path out, IntConsumer onFrame) {
    return annotate(video, labels, timestampOffset, MIN_WIDTH, legend(labels), out, onFrame);
  }

  /** The legend line: what the box colours, labels and (when drawn) dashed boxes mean. */
  public static String legend(SecondLabels labels) {
    boolean gt =
        labels.seconds().stream()
            .anyMatch(s -> labels.at(s).stream().anyMatch(BoxLabel::groundTruth));
    return "P<n>: person track (colours as in the report)" + (gt ? "; dashed: ground truth" : "");
  }

  /**
   * @param minWidth frames narrower than this are scaled up (aspect kept, bilinear) to it
   * @param legend a line drawn at the bottom of every frame (null: none)
   * @param timestampOffset second number of the video's first frame (0 for the project's own
   *     videos; AVA's 15-minute cuts start at 900)
   * @param onFrame called with the frame count written so far (for progress)
   */
  public static Result annotate(
      Path video,
      SecondLabels labels,
      int timestampOffset,
      int minWidth,
      String legend,
      Path out,
      IntConsumer onFrame) {
    try (VideoReader reader = VideoReader.open(video)) {
      double scale = Math.max(1, minWidth / (double) reader.width());
      int w = (int) Math.round(reader.width() * scale) & ~1;
      int h = (int) Math.round(reader.height() * scale) & ~1;
      double fps = reader.frameRate() > 0 ? reader.frameRate() : 25;
      FrameAnnotator annotator = FrameAnnotator.forWidth(w);
      int frames = 0;
      try (VideoWriter writer = VideoWriter.open(out, w, h, fps, VideoWriter.Codec.H264, 1)) {
        Optional<VideoReader.DecodedFrame> f;
        while ((f = reader.next()).isPresent()) {
          double t = f.get().seconds();
          int second = (int) Math.floor(t + 0.5) + timestampOffset;
          BufferedImage img = resized(JpegCodec.toBufferedImage(f.get().image()), scale, w, h);
          writer.write(
              annotator.annotate(
                  img,
                  labels.at(second),
                  String.format(java.util.Locale.ROOT, "t=%ds", second),
                  legend));
          frames++;
          onFrame.accept(frames);
        }
        return new Result(frames, w, h, fps, writer.codecName());
      }
    }
  }

  /** The frame scaled by {@code scale} (bilinear) and cut to the even size {@code w x h}. */
  private static BufferedImage resized(BufferedImage img, double scale, int w, int h) {
    if (scale == 1) {
      return img.getWidth() == w && img.getHeight() == h ? img : img.getSubimage(0, 0, w, h);
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(
          img,
          0,
          0,
          (int) Math.round(img.getWidth() * scale),
          (int) Math.round(img.getHeight() * scale),
          null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
