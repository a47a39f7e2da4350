package io.cmstream.streamer.clip;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.cmstream.common.clip.ClipSpec;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Resizes a BGR frame to a short side and encodes it as JPEG. Not thread-safe. */
public final class JpegEncoder implements AutoCloseable {
  private final int shortSide;
  private final int quality;
  private final Mat resized = new Mat();
  private final IntPointer params;

  /** A JPEG image and its size. */
  public record Jpeg(byte[] bytes, int width, int height) {}

  public JpegEncoder(int shortSide, int quality) {
    if (quality < 1 || quality > 100)
      throw new IllegalArgumentException("JPEG quality must be in 1..100, got " + quality);
    if (shortSide < 0)
      throw new IllegalArgumentException("short side must be >= 0, got " + shortSide);
    this.shortSide = shortSide;
    this.quality = quality;
    this.params = new IntPointer(IMWRITE_JPEG_QUALITY, quality);
  }

  public int quality() {
    return quality;
  }

  /**
   * Output size for a frame of {@code width}x{@code height}: short side scaled with the clip
   * pipeline's rounding ({@link ClipSpec#resizedSize}), aspect kept; 0 keeps the size.
   */
  public int[] outputSize(int width, int height) {
    if (shortSide == 0 || Math.min(width, height) == shortSide) {
      return new int[] {width, height};
    }
    return ClipSpec.resizedSize(width, height, shortSide);
  }

  public Jpeg encode(Mat bgr) {
    int[] size = outputSize(bgr.cols(), bgr.rows());
    Mat src = bgr;
    if (size[0] != bgr.cols() || size[1] != bgr.rows()) {
      int interpolation = size[0] < bgr.cols() ? INTER_AREA : INTER_LINEAR;
      resize(bgr, resized, new Size(size[0], size[1]), 0, 0, interpolation);
      src = resized;
    }
    try (BytePointer buf = new BytePointer()) {
      if (!imencode(".jpg", src, buf, params)) {
        throw new IllegalStateException(
            "JPEG encoding failed for a " + size[0] + "x" + size[1] + " frame");
      }
      byte[] bytes = new byte[(int) buf.limit()];
      buf.get(bytes);
      return new Jpeg(bytes, size[0], size[1]);
    }
  }

  @Override
  public void close() {
    resized.close();
    params.close();
  }
}
