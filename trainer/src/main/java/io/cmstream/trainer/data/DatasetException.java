package io.cmstream.trainer.data;

/** A dataset folder that cannot be trained on; the message is one line meant for the user. */
public final class DatasetException extends RuntimeException {
  public DatasetException(String message) {
    super(message);
  }
}
