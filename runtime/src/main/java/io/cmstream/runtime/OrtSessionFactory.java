package io.cmstream.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ONNX Runtime sessions on the execution provider the {@link SessionSettings} ask for. The
 * provider is resolved once, when the factory is made: {@code cuda} fails here with {@link
 * DeviceUnavailableException} if CUDA cannot be used; {@code auto} falls back to the CPU. One INFO
 * log line says which provider is used (and why not CUDA on auto).
 */
public final class OrtSessionFactory {

  private static final Logger LOG = LoggerFactory.getLogger(OrtSessionFactory.class);

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final SessionSettings settings;
  private final OrtProvider provider;

  public OrtSessionFactory(SessionSettings settings) {
    this.settings = settings;
    this.provider = resolve(settings.device());
  }

  /** The provider sessions of this factory run on: CUDA or CPU. */
  public OrtProvider provider() {
    return provider;
  }

  public SessionSettings settings() {
    return settings;
  }

  /** A new session for the model bytes. The caller closes it. */
  public OrtSession create(byte[] model) throws OrtException {
    try (OrtSession.SessionOptions options = options()) {
      return env.createSession(model, options);
    }
  }

  /**
   * A new session whose runs ONNX Runtime's profiler records (a JSON file starting with {@code
   * filePrefix}; {@link OrtSession#endProfiling()} returns its path). The caller closes it.
   */
  public OrtSession createProfiled(byte[] model, Path filePrefix) throws OrtException {
    try (OrtSession.SessionOptions options = options()) {
      options.enableProfiling(filePrefix.toString());
      return env.createSession(model, options);
    }
  }

  private OrtSession.SessionOptions options() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(settings.optimization().level());
      if (settings.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(settings.intraOpThreads());
      }
      if (settings.interOpThreads() > 0) {
        options.setInterOpNumThreads(settings.interOpThreads());
      }
      if (provider == OrtProvider.CUDA) {
        options.addCUDA(0);
      }
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private OrtProvider resolve(Device device) {
    if (device == Device.CPU) {
      LOG.info("ONNX Runtime provider: CPU (--device cpu)");
      return OrtProvider.CPU;
    }
    String whyNot = cudaUnavailableReason();
    if (whyNot == null) {
      LOG.info("ONNX Runtime provider: CUDA (--device {})", device.name().toLowerCase());
      return OrtProvider.CUDA;
    }
    if (device == Device.CUDA) {
      throw new DeviceUnavailableException(
          "--device cuda was asked but CUDA is not available: "
              + whyNot
              + " (needs an NVIDIA GPU with CUDA 12 and cuDNN 9 libraries on the library path; use --device cpu or auto)",
          null);
    }
    LOG.info("ONNX Runtime provider: CPU (--device auto; CUDA not available: {})", whyNot);
    return OrtProvider.CPU;
  }

  /**
   * Linux with the NVIDIA kernel driver, or WSL2 with GPU paravirtualisation; true elsewhere (let
   * ORT decide).
   */
  private static boolean nvidiaDriverPresent() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return true;
    }
    return Files.isDirectory(Path.of("/proc/driver/nvidia")) || Files.exists(Path.of("/dev/dxg"));
  }

  /** Null when a CUDA session can be configured, else the reason in one line. */
  private static String cudaUnavailableReason() {
    EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
    if (!providers.contains(OrtProvider.CUDA)) {
      return "this ONNX Runtime build has no CUDA provider (providers: " + providers + ")";
    }
    if (!nvidiaDriverPresent()) {
      // checked first: probing loads ONNX Runtime's CUDA provider library (hundreds of MB)
      return "no NVIDIA driver found (neither /proc/driver/nvidia nor /dev/dxg exists)";
    }
    try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
      probe.addCUDA(0);
      return null;
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      return message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }
  }
}
