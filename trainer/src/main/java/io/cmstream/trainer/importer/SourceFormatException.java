package io.cmstream.trainer.importer;

/**
 * A source checkpoint or config that cannot be imported; the message is the one line a user sees.
 */
public final class SourceFormatException extends IllegalArgumentException {
  public SourceFormatException(String message) {
    super(message);
  }
}
