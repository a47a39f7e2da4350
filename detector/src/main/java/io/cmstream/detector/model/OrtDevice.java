package io.cmstream.detector.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where ONNX Runtime runs the graphs: {@code cpu}, {@code cuda} (fails when CUDA cannot be
 * used), or {@code auto} (CUDA when available, else CPU). Logs one line saying which.
 */
public enum OrtDevice {
  CPU, CUDA, AUTO;

  private static final Logger LOG = LoggerFactory.getLogger(OrtDevice.class);

  /** Session options for this device; {@code intraOpThreads} 0 lets ONNX Runtime choose. */
  public OrtSession.SessionOptions options(int intraOpThreads) {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (intraOpThreads > 0) {
        options.setIntraOpNumThreads(intraOpThreads);
      }
      if (this != CPU) {
        try {
          options.addCUDA(0);
          LOG.info("ONNX Runtime device: CUDA (GPU 0)");
          return options;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
          if (this == CUDA) {
            options.close();
            throw new IllegalStateException("device cuda requested but CUDA is not usable: " + e.getMessage(), e);
          }
          LOG.info("ONNX Runtime device: CPU (auto: CUDA not usable: {})", e.getMessage());
          return options;
        }
      }
      LOG.info("ONNX Runtime device: CPU");
      return options;
    } catch (OrtException e) {
      options.close();
      throw new IllegalStateException("cannot configure ONNX Runtime: " + e.getMessage(), e);
    }
  }
}
