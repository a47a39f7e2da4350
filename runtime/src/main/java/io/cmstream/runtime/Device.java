package io.cmstream.runtime;

import java.util.Locale;

/** Where ONNX Runtime runs the graphs ({@code --device cpu|cuda|auto}). */
public enum Device {
  /** CPU execution provider. */
  CPU,
  /** CUDA execution provider, or a clear error when CUDA is not available. */
  CUDA,
  /** CUDA when available, CPU otherwise; one log line says which. */
  AUTO;

  /**
   * Parses a {@code --device} value (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Device parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "unknown device '" + value + "' (expected cpu, cuda or auto)");
    }
  }
}
