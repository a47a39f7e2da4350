package io.cmstream.runtime;

/** The device asked for ({@code --device cuda}) cannot be used here. */
public final class DeviceUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DeviceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
