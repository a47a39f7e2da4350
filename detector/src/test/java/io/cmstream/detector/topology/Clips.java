package io.cmstream.detector.topology;

import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.runtime.TinyCmModel;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.PersonBox;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Test clips: small JPEG frames whose content moves with (stream, second), two person boxes. */
final class Clips {

  static final int SIZE = 32;
  private static final JpegCodec JPEG = new JpegCodec(0.9f);

  private Clips() {}

  static ClipRecord clip(String stream, int second) {
    return builder(stream, second).build();
  }

  static ClipRecord.Builder builder(String stream, int second) {
    List<ByteBuffer> frames = new ArrayList<>();
    for (int f = 0; f < TinyCmModel.CLIP_SPEC.frames(); f++) {
      frames.add(ByteBuffer.wrap(JPEG.encode(frame(stream.hashCode(), second, f, SIZE, SIZE))));
    }
    return ClipRecord.newBuilder()
        .setStreamId(stream)
        .setSecond(second)
        .setMediaTimeMs(second * 1000L)
        .setCaptureTimeMs(1_700_000_000_000L + second * 1000L)
        .setFps(TinyCmModel.CLIP_SPEC.fps())
        .setWidth(SIZE)
        .setHeight(SIZE)
        .setFrames(frames)
        .setBoxes(List.of(box(0.1f, 0.1f, 0.5f, 0.9f), box(0.4f, 0.2f, 0.95f, 0.8f)))
        .setEndOfStream(false);
  }

  static PersonBox box(float x1, float y1, float x2, float y2) {
    return new PersonBox(x1, y1, x2, y2, 0.9f);
  }

  /** A frame with a bright square that moves with the second and a stream-dependent tint. */
  static RgbImage frame(int seed, int second, int index, int width, int height) {
    byte[] rgb = new byte[width * height * 3];
    int cx = Math.floorMod(second * 5 + index * 2 + seed, width);
    int cy = Math.floorMod(second * 3 + seed / 7, height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean inside = Math.abs(x - cx) < 6 && Math.abs(y - cy) < 6;
        int i = (y * width + x) * 3;
        rgb[i] = (byte) (inside ? 230 : 20 + Math.floorMod(seed, 60));
        rgb[i + 1] = (byte) (inside ? 200 : (x * 4 + second) & 0xff);
        rgb[i + 2] = (byte) (inside ? 40 : (y * 4) & 0xff);
      }
    }
    return new RgbImage(width, height, rgb);
  }
}
