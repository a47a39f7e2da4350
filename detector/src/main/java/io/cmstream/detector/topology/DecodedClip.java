package io.cmstream.detector.topology;

import io.cmstream.ava.clip.Clip;
import io.cmstream.schemas.avro.ClipRecord;

/** A clip that passed validation, with its model input tensor and [R,4] boxes. */
public record DecodedClip(RawInput raw, ClipRecord record, Clip tensor, float[] boxes) {}
