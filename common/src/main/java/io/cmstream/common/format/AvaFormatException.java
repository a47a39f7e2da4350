package io.cmstream.common.format;

/**
 * A malformed AVA file. The message always reads {@code file:line: what is wrong}, so that a
 * command can print it as its one-line error.
 */
public final class AvaFormatException extends RuntimeException {
  private final String file;
  private final long line;

  public AvaFormatException(String file, long line, String problem) {
    super(file + ":" + line + ": " + problem);
    this.file = file;
    this.line = line;
  }

  /** The file name as given to the reader. */
  public String file() {
    return file;
  }

  /** The 1-based line number (0 when the problem concerns the whole file). */
  public long line() {
    return line;
  }
}
