package io.cmstream.ava.clip;

/**
 * A decoded frame: 8-bit RGB, interleaved, row-major ({@code rgb[(y*width + x)*3 + c]}).
 *
 * @param width pixels per row
 * @param height rows
 * @param rgb {@code width*height*3} bytes
 */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    if (width < 1 || height < 1)
      throw new IllegalArgumentException("empty image " + width + "x" + height);
    if (rgb == null || rgb.length != width * height * 3) {
      throw new IllegalArgumentException("expected " + width * height * 3 + " RGB bytes");
    }
  }

  /** A black image. */
  public static RgbImage blank(int width, int height) {
    return new RgbImage(width, height, new byte[width * height * 3]);
  }

  /** Channel {@code c} (0=R,1=G,2=B) of pixel (x,y), 0..255. */
  public int get(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xff;
  }
}
