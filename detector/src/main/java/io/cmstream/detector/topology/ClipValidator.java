package io.cmstream.detector.topology;

import io.cmstream.detector.model.FramePolicy;
import io.cmstream.detector.state.SecondPolicy;
import io.cmstream.schemas.DlqReason;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.PersonBox;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The record-level input policy (before any JPEG is decoded): second, frame count, sizes, complete
 * JPEGs, boxes.
 */
public final class ClipValidator {

  private final FramePolicy policy;

  public ClipValidator(FramePolicy policy) {
    this.policy = policy;
  }

  /** The first rule the record breaks, or null when it passes. */
  public ClipRejection check(ClipRecord clip) {
    if (clip.getStreamId() == null || clip.getStreamId().toString().isEmpty()) {
      return new ClipRejection(DlqReason.PROCESSING_FAILED, "empty stream id");
    }
    String second = SecondPolicy.rangeProblem(clip.getSecond());
    if (second != null) {
      return new ClipRejection(DlqReason.INVALID_SECOND, second);
    }
    int frames = clip.getFrames().size();
    if (frames != policy.frames()) {
      return new ClipRejection(
          DlqReason.FRAME_POLICY,
          "clip has " + frames + " frames, the model takes " + policy.frames());
    }
    String size = policy.sizeProblem(clip.getWidth(), clip.getHeight());
    if (size != null) {
      return new ClipRejection(DlqReason.FRAME_POLICY, size);
    }
    for (int i = 0; i < frames; i++) {
      String jpeg = jpegProblem(clip.getFrames().get(i));
      if (jpeg != null) {
        return new ClipRejection(DlqReason.CORRUPT_JPEG, "frame " + i + ": " + jpeg);
      }
    }
    if (!(clip.getFps() > 0) || Double.isInfinite(clip.getFps())) {
      return new ClipRejection(
          DlqReason.FRAME_POLICY, "fps " + clip.getFps() + " is not a positive number");
    }
    List<PersonBox> boxes = clip.getBoxes();
    if (boxes.size() > policy.maxBoxes()) {
      return new ClipRejection(
          DlqReason.TOO_MANY_BOXES,
          boxes.size() + " person boxes, the cap is " + policy.maxBoxes());
    }
    for (int i = 0; i < boxes.size(); i++) {
      String problem = boxProblem(boxes.get(i));
      if (problem != null) {
        return new ClipRejection(DlqReason.INVALID_BOXES, "box " + i + ": " + problem);
      }
    }
    return null;
  }

  static String boxProblem(PersonBox b) {
    float[] v = {b.getX1(), b.getY1(), b.getX2(), b.getY2(), b.getScore()};
    for (float f : v) {
      if (Float.isNaN(f)) {
        return "NaN coordinate or score";
      }
      if (f < 0f || f > 1f) {
        return "value " + f + " outside [0,1]";
      }
    }
    if (b.getX2() <= b.getX1()) {
      return "x2 " + b.getX2() + " <= x1 " + b.getX1() + " (no width)";
    }
    if (b.getY2() <= b.getY1()) {
      return "y2 " + b.getY2() + " <= y1 " + b.getY1() + " (no height)";
    }
    return null;
  }

  /**
   * Why a frame is not one complete JPEG, or null. A JPEG starts with the SOI marker FF D8 and ends
   * with the EOI marker FF D9; the entropy-coded data cannot contain FF D9 (FF is stuffed), so a
   * frame cut anywhere or followed by extra bytes fails here. ImageIO alone would decode a
   * truncated JPEG with a warning and grey rows.
   */
  static String jpegProblem(ByteBuffer frame) {
    int n = frame.remaining();
    int p = frame.position();
    if (n < 4 || (frame.get(p) & 0xff) != 0xFF || (frame.get(p + 1) & 0xff) != 0xD8) {
      return "not a JPEG (no start-of-image marker FF D8), " + n + " bytes";
    }
    if ((frame.get(p + n - 2) & 0xff) != 0xFF || (frame.get(p + n - 1) & 0xff) != 0xD9) {
      return "incomplete JPEG: does not end with the end-of-image marker FF D9 (truncated, or bytes after it), "
          + n
          + " bytes";
    }
    return null;
  }

  /** The boxes as [R,4] x1,y1,x2,y2 row-major. */
  public static float[] boxArray(List<PersonBox> boxes) {
    float[] out = new float[boxes.size() * 4];
    for (int i = 0; i < boxes.size(); i++) {
      PersonBox b = boxes.get(i);
      out[4 * i] = b.getX1();
      out[4 * i + 1] = b.getY1();
      out[4 * i + 2] = b.getX2();
      out[4 * i + 3] = b.getY2();
    }
    return out;
  }
}
