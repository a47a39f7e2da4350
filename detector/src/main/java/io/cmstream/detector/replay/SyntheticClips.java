package io.cmstream.detector.replay;

import io.cmstream.ava.clip.JpegCodec;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.PersonBox;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Clip records for measurements when no recording is at hand: frames with a moving bright square on
 * a gradient, JPEG-encoded by the project's codec, and fixed person boxes.
 */
public final class SyntheticClips {

  private final int frames;
  private final int width;
  private final int height;
  private final int boxes;
  private final JpegCodec jpeg = new JpegCodec(0.9f);

  public SyntheticClips(int frames, int width, int height, int boxes) {
    this.frames = frames;
    this.width = width;
    this.height = height;
    this.boxes = boxes;
  }

  public ClipRecord clip(String stream, int second, boolean endOfStream) {
    List<ByteBuffer> jpegs = new ArrayList<>(frames);
    for (int f = 0; f < frames; f++) {
      jpegs.add(ByteBuffer.wrap(jpeg.encode(frame(second, f))));
    }
    List<PersonBox> persons = new ArrayList<>();
    for (int b = 0; b < boxes; b++) {
      float x = 0.05f + 0.9f * b / Math.max(1, boxes);
      persons.add(new PersonBox(x, 0.2f, Math.min(1f, x + 0.25f), 0.9f, 0.95f));
    }
    return ClipRecord.newBuilder()
        .setStreamId(stream)
        .setSecond(second)
        .setMediaTimeMs(second * 1000L)
        .setCaptureTimeMs(null)
        .setFps(frames)
        .setWidth(width)
        .setHeight(height)
        .setFrames(jpegs)
        .setBoxes(persons)
        .setEndOfStream(endOfStream)
        .build();
  }

  private RgbImage frame(int second, int index) {
    byte[] rgb = new byte[width * height * 3];
    int cx = Math.floorMod(second * 7 + index * 3, width);
    int cy = Math.floorMod(second * 5, height);
    int r = Math.max(2, Math.min(width, height) / 8);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean in = Math.abs(x - cx) < r && Math.abs(y - cy) < r;
        int i = (y * width + x) * 3;
        rgb[i] = (byte) (in ? 230 : x * 255 / width);
        rgb[i + 1] = (byte) (in ? 190 : y * 255 / height);
        rgb[i + 2] = (byte) (in ? 30 : (second * 13) & 0xff);
      }
    }
    return new RgbImage(width, height, rgb);
  }
}
