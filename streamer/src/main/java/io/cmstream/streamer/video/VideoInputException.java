package io.cmstream.streamer.video;

/** A video input that cannot be opened or read, with a message meant for the user. */
public final class VideoInputException extends RuntimeException {
  public VideoInputException(String message) {
    super(message);
  }

  public VideoInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
