package io.cmstream.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that a topic's deserializer could not turn into a record. Typed, so that a consumer can
 * route the original bytes to the dead-letter topic with {@link #reason()} instead of failing: the
 * detector deserializes clip values itself and catches this.
 */
public class RecordDecodingException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final DlqReason reason;

  public RecordDecodingException(DlqReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The dead-letter reason this failure maps to. */
  public DlqReason reason() {
    return reason;
  }
}
