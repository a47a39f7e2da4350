package io.cmstream.detector.topology;

import io.cmstream.detector.model.FramePolicy;
import io.cmstream.schemas.DlqReason;
import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.PersonBox;
import java.util.List;

/** The record-level input policy (before any JPEG is decoded): frame count, sizes, boxes. */
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
    int frames = clip.getFrames().size();
    if (frames != policy.frames()) {
      return new ClipRejection(DlqReason.FRAME_POLICY, "clip has " + frames + " frames, the model takes " + policy.frames());
    }
    String size = policy.sizeProblem(clip.getWidth(), clip.getHeight());
    if (size != null) {
      return new ClipRejection(DlqReason.FRAME_POLICY, size);
    }
    if (!(clip.getFps() > 0) || Double.isInfinite(clip.getFps())) {
      return new ClipRejection(DlqReason.FRAME_POLICY, "fps " + clip.getFps() + " is not a positive number");
    }
    List<PersonBox> boxes = clip.getBoxes();
    if (boxes.size() > policy.maxBoxes()) {
      return new ClipRejection(DlqReason.TOO_MANY_BOXES, boxes.size() + " person boxes, the cap is " + policy.maxBoxes());
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
    if (b.getX2() < b.getX1()) {
      return "x2 " + b.getX2() + " < x1 " + b.getX1();
    }
    if (b.getY2() < b.getY1()) {
      return "y2 " + b.getY2() + " < y1 " + b.getY1();
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
