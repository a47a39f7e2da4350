package io.cmstream.schemas;

import org.apache.avro.message.MissingSchemaException;

/**
 * A single-object message whose writer-schema fingerprint is not among the known writer schemas
 * ({@link KnownSchemas}): written by a newer or foreign producer. Reason {@link
 * DlqReason#UNKNOWN_SCHEMA}.
 */
public final class UnknownSchemaException extends RecordDecodingException {

  private static final long serialVersionUID = 1L;

  private final long fingerprint;

  public UnknownSchemaException(long fingerprint, String recordName, MissingSchemaException cause) {
    super(
        DlqReason.UNKNOWN_SCHEMA,
        String.format(
            "unknown writer schema fingerprint %s for %s (not one of the known writer schemas)",
            hex(fingerprint), recordName),
        cause);
    this.fingerprint = fingerprint;
  }

  /** The 64-bit fingerprint found in the message (little-endian bytes 2..9 of the message). */
  public long fingerprint() {
    return fingerprint;
  }

  /** The fingerprint as 16 hex digits, as printed in messages and DLQ headers. */
  public static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }
}
