package io.cmstream.detector.topology;

import io.cmstream.ava.clip.ClipGeometry;
import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.schemas.avro.ClipRecord;
import java.nio.ByteBuffer;
import java.util.List;

/** A clip that passed validation, with its model input tensor and [R,4] boxes. */
public record DecodedClip(RawInput raw, ClipRecord record, ClipTensor tensor, float[] boxes) {

  /**
   * The model input of a validated record from its decoded frames (the clip pipeline's eval
   * geometry).
   */
  static DecodedClip of(
      RawInput raw, ClipRecord clip, List<RgbImage> frames, ClipPipeline pipeline) {
    return new DecodedClip(
        raw, clip, tensor(clip, frames, pipeline), ClipValidator.boxArray(clip.getBoxes()));
  }

  /** The clip pipeline's eval tensor of a record's decoded frames. */
  static ClipTensor tensor(ClipRecord clip, List<RgbImage> frames, ClipPipeline pipeline) {
    return pipeline.build(
        frames, ClipGeometry.forEval(pipeline.spec(), clip.getWidth(), clip.getHeight()));
  }

  /** The JPEG bytes of one frame of a record (the buffer itself is not moved). */
  static byte[] jpeg(ByteBuffer frame) {
    ByteBuffer b = frame.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
