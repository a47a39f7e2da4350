package io.cmstream.detector.model;

import io.cmstream.common.clip.ClipSpec;
import io.cmstream.common.format.LabelMap;
import io.cmstream.common.window.WindowSpan;
import java.util.List;
import java.util.Objects;

/**
 * What the detector needs from a model bundle: its id, the clip pipeline settings, the memory size,
 * the classes in score order, the window it was trained with, and a way to open one set of
 * inference sessions (called once per stream thread).
 */
public record DetectorModel(
    String modelId,
    ClipSpec clipSpec,
    int memoryDim,
    List<LabelMap.Label> classes,
    int trainingBack,
    int trainingAhead,
    InferenceFactory inference) {

  public DetectorModel {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(clipSpec, "clipSpec");
    classes = List.copyOf(classes);
    Objects.requireNonNull(inference, "inference");
  }

  /** The memory window the model was trained with. */
  public WindowSpan trainingWindow() {
    return new WindowSpan(trainingBack, trainingAhead);
  }

  /** Opens the ONNX sessions of one thread. */
  @FunctionalInterface
  public interface InferenceFactory {
    ClipInference open();
  }
}
