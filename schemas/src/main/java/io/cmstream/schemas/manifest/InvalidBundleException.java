package io.cmstream.schemas.manifest;

/**
 * A model bundle that must not be used: missing or altered file, bad manifest, unknown opset,
 * shapes that disagree with the manifest. The message is one line naming the bundle and the
 * offending file.
 */
public class InvalidBundleException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidBundleException(String message) {
    super(message);
  }

  public InvalidBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
