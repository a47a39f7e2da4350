package io.cmstream.ava.clip;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The project's one JPEG path (pure Java, javax.imageio): every frame that is written (synthetic
 * data, frame extraction, streamer) is encoded here and every frame that feeds a model is decoded
 * here, so training and serving decode identical pixels. Encoding is deterministic: the same pixels
 * and quality give the same bytes. No disk cache is used.
 */
public final class JpegCodec {
  private final float quality;

  /**
   * @param quality JPEG quality in (0, 1], e.g. 0.9
   */
  public JpegCodec(float quality) {
    if (!(quality > 0 && quality <= 1))
      throw new IllegalArgumentException("JPEG quality must be in (0,1]");
    this.quality = quality;
  }

  /** Decodes JPEG (or any ImageIO format) bytes to RGB. */
  public static RgbImage decode(byte[] bytes) {
    return decodeAll(List.of(bytes)).get(0);
  }

  /** Decodes a clip's frames with one reader (cheaper than one reader per frame). */
  public static List<RgbImage> decodeAll(List<byte[]> images) {
    List<RgbImage> out = new ArrayList<>(images.size());
    ImageReader jpeg = null;
    try {
      for (byte[] bytes : images) {
        boolean isJpeg = bytes.length > 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8;
        try (MemoryCacheImageInputStream in =
            new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
          ImageReader reader;
          if (isJpeg) {
            if (jpeg == null) jpeg = ImageIO.getImageReadersByFormatName("jpeg").next();
            reader = jpeg;
          } else {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext())
              throw new IllegalArgumentException("not an image (" + bytes.length + " bytes)");
            reader = readers.next();
          }
          try {
            reader.setInput(in, true, true);
            out.add(fromBufferedImage(reader.read(0)));
          } finally {
            if (reader != jpeg) reader.dispose();
          }
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot decode image: " + e.getMessage(), e);
        }
      }
    } finally {
      if (jpeg != null) jpeg.dispose();
    }
    return out;
  }

  /** Encodes RGB pixels as baseline JPEG with this codec's quality. */
  public byte[] encode(RgbImage image) {
    return encode(toBufferedImage(image));
  }

  /** Encodes a BufferedImage (converted to 3-byte BGR when needed) as JPEG. */
  public byte[] encode(BufferedImage image) {
    BufferedImage img = image;
    if (img.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      img = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      img.getGraphics().drawImage(image, 0, 0, null);
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(img.getWidth() * img.getHeight() / 4 + 1024);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** RGB view of any BufferedImage (fast path for 3-byte BGR, the JPEG decoder's type). */
  public static RgbImage fromBufferedImage(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] rgb = new byte[w * h * 3];
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR
        && img.getRaster().getDataBuffer() instanceof DataBufferByte db
        && db.getData().length == rgb.length) {
      byte[] bgr = db.getData();
      for (int i = 0; i < rgb.length; i += 3) {
        rgb[i] = bgr[i + 2];
        rgb[i + 1] = bgr[i + 1];
        rgb[i + 2] = bgr[i];
      }
    } else {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int p = row[x];
          int o = (y * w + x) * 3;
          rgb[o] = (byte) (p >> 16);
          rgb[o + 1] = (byte) (p >> 8);
          rgb[o + 2] = (byte) p;
        }
      }
    }
    return new RgbImage(w, h, rgb);
  }

  /** A 3-byte BGR BufferedImage holding the pixels. */
  public static BufferedImage toBufferedImage(RgbImage image) {
    BufferedImage img =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    byte[] rgb = image.rgb();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    return img;
  }
}
