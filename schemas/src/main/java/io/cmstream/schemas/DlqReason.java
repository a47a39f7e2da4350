package io.cmstream.schemas;

/**
 * Why a record went to a dead-letter topic (value of the {@link DeadLetter#REASON} header). One
 * constant per rule of the detector's input policy; the names are part of the contract.
 */
public enum DlqReason {
  /**
   * The bytes are not an Avro single-object message of a known record (bad header, corrupt body).
   */
  UNDECODABLE,
  /** A well-formed single-object header whose schema fingerprint no known writer schema has. */
  UNKNOWN_SCHEMA,
  /** A frame that is not a decodable, complete JPEG (no SOI/EOI marker: truncated or padded). */
  CORRUPT_JPEG,
  /** Frame count, frame size or frame rate outside the model's policy. */
  FRAME_POLICY,
  /**
   * A box with NaN, coordinates outside [0,1], x2 <= x1 or y2 <= y1 (zero area), or a score outside
   * [0,1].
   */
  INVALID_BOXES,
  /** More person boxes than the configured cap. */
  TOO_MANY_BOXES,
  /** A clip arriving later than the out-of-order grace allows. */
  LATE,
  /** A {@code second} outside the accepted range (negative, or in the top day of the int range). */
  INVALID_SECOND,
  /** A clip too far ahead of its stream's newest second (it does not move the stream). */
  FORWARD_JUMP,
  /** Anything else that failed while processing a record (the detail header says what). */
  PROCESSING_FAILED
}
