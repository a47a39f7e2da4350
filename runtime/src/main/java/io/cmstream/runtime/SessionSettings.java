package io.cmstream.runtime;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;

/**
 * ONNX Runtime session settings.
 *
 * @param device where to run
 * @param intraOpThreads threads inside one operator (0 = ONNX Runtime's default, all cores)
 * @param interOpThreads threads across operators (0 = ONNX Runtime's default)
 * @param optimization graph optimisation level
 */
public record SessionSettings(
    Device device, int intraOpThreads, int interOpThreads, Optimization optimization) {

  /** Graph optimisation levels of ONNX Runtime. */
  public enum Optimization {
    NONE(OptLevel.NO_OPT),
    BASIC(OptLevel.BASIC_OPT),
    EXTENDED(OptLevel.EXTENDED_OPT),
    ALL(OptLevel.ALL_OPT);

    private final OptLevel level;

    Optimization(OptLevel level) {
      this.level = level;
    }

    OptLevel level() {
      return level;
    }

    /** Parses none|basic|extended|all (case-insensitive). */
    public static Optimization parse(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "unknown graph optimisation level '"
                + value
                + "' (expected none, basic, extended or all)");
      }
    }
  }

  public SessionSettings {
    if (device == null) {
      throw new IllegalArgumentException("device is missing");
    }
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0 (0 = ONNX Runtime default)");
    }
    if (optimization == null) {
      throw new IllegalArgumentException("optimization is missing");
    }
  }

  /** Device {@code auto}, one intra-op and one inter-op thread, all graph optimisations. */
  public static SessionSettings defaults() {
    return new SessionSettings(Device.AUTO, 1, 1, Optimization.ALL);
  }

  /** The defaults on another device. */
  public static SessionSettings on(Device device) {
    return defaults().withDevice(device);
  }

  public SessionSettings withDevice(Device newDevice) {
    return new SessionSettings(newDevice, intraOpThreads, interOpThreads, optimization);
  }

  public SessionSettings withThreads(int intraOp, int interOp) {
    return new SessionSettings(device, intraOp, interOp, optimization);
  }

  public SessionSettings withOptimization(Optimization level) {
    return new SessionSettings(device, intraOpThreads, interOpThreads, level);
  }
}
