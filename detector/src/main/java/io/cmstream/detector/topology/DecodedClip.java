package io.cmstream.detector.topology;

import io.cmstream.ava.clip.ClipGeometry;
import io.cmstream.ava.clip.ClipPipeline;
import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.ava.clip.RgbImage;
import io.cmstream.schemas.avro.ClipRecord;
import java.util.List;

/** A clip that passed validation, with its model input tensor and [R,4] boxes. */
public record DecodedClip(RawInput raw, ClipRecord record, ClipTensor tensor, float[] boxes) {

  /**
   * The model input of a validated record from its decoded frames (the clip pipeline's eval
   * geometry).
   */
  static DecodedClip of(
      RawInput raw, ClipRecord clip, List<RgbImage> frames, ClipPipeline pipeline) {
    ClipTensor tensor =
        pipeline.build(
            frames, ClipGeometry.forEval(pipeline.spec(), clip.getWidth(), clip.getHeight()));
    return new DecodedClip(raw, clip, tensor, ClipValidator.boxArray(clip.getBoxes()));
  }
}
