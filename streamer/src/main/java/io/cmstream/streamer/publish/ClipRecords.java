package io.cmstream.streamer.publish;

import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.streamer.clip.Clip;
import io.cmstream.streamer.persons.PersonBox;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Maps streamer clips to the {@code cm.clips} Avro record (boxes of zero area are left out). */
public final class ClipRecords {
  private ClipRecords() {}

  public static ClipRecord toAvro(String streamId, Clip clip) {
    List<ByteBuffer> frames = new ArrayList<>(clip.frames().size());
    for (byte[] f : clip.frames()) {
      frames.add(ByteBuffer.wrap(f));
    }
    List<io.cmstream.schemas.avro.PersonBox> boxes = new ArrayList<>(clip.boxes().size());
    for (PersonBox b : clip.boxes()) {
      if (!((float) b.x1() < (float) b.x2() && (float) b.y1() < (float) b.y2())) {
        continue; // clipped to nothing at the frame's edge: no person to score, and the detector
        // refuses it
      }
      boxes.add(
          io.cmstream.schemas.avro.PersonBox.newBuilder()
              .setX1((float) b.x1())
              .setY1((float) b.y1())
              .setX2((float) b.x2())
              .setY2((float) b.y2())
              .setScore((float) b.score())
              .build());
    }
    return ClipRecord.newBuilder()
        .setStreamId(streamId)
        .setSecond(clip.second())
        .setMediaTimeMs(clip.mediaTimeMs())
        .setCaptureTimeMs(clip.captureTimeMs())
        .setFps(clip.fps())
        .setWidth(clip.width())
        .setHeight(clip.height())
        .setFrames(frames)
        .setBoxes(boxes)
        .setEndOfStream(clip.endOfStream())
        .setLastFrameCaptureTimeMs(clip.lastFrameCaptureTimeMs())
        .setSentFromSecond(clip.sentFromSecond())
        .build();
  }
}
