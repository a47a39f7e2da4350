package io.cmstream.detector.topology;

import io.cmstream.runtime.EncoderOutput;
import io.cmstream.schemas.avro.ClipRecord;

/**
 * A clip after the encoder, on its way into the memory stores.
 *
 * @param encodeMs encoder inference time: the time of its encoder call / the clips of the call
 * @param encodedAtMs wall-clock time the encoder finished (epoch ms)
 */
public record EncodedInput(
    RawInput raw, ClipRecord record, EncoderOutput encoded, double encodeMs, long encodedAtMs) {}
