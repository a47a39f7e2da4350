package io.cmstream.detector.model;

import io.cmstream.ava.clip.ClipTensor;
import io.cmstream.common.clip.ClipSpec;
import io.cmstream.runtime.EncoderOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One set of ONNX sessions per thread that asks: Kafka Streams runs all tasks of a stream thread on
 * that thread, so its processors share the thread's sessions. Owned by the application; {@link
 * #close()} releases every session.
 */
public final class InferencePool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InferencePool.class);

  private final DetectorModel.InferenceFactory factory;
  private final Map<Thread, ClipInference> byThread = new ConcurrentHashMap<>();

  public InferencePool(DetectorModel.InferenceFactory factory) {
    this.factory = factory;
  }

  /** The sessions of the calling thread, opened on first use. */
  public ClipInference forCurrentThread() {
    return byThread.computeIfAbsent(Thread.currentThread(), t -> factory.open());
  }

  /**
   * Opens the calling thread's sessions and runs both graphs once on a blank clip of the model's
   * shape, so that the first real clip does not pay their start (seconds on a loaded machine: every
   * clip behind it would queue). A failure here is logged; the first clip then reports it.
   */
  public void warmUpCurrentThread(ClipSpec spec) {
    try {
      ClipInference inference = forCurrentThread();
      int side = spec.shortSide();
      ClipTensor blank =
          new ClipTensor(new float[3 * spec.frames() * side * side], spec.frames(), side, side);
      EncoderOutput e = inference.encode(blank, new float[] {0.25f, 0.25f, 0.75f, 0.75f});
      int c = e.memoryChannels();
      inference.scores(e.roiFeats(), e.boxes(), e.key(), new float[c * c]);
    } catch (RuntimeException e) {
      LOG.warn("warm-up of the inference sessions failed: {}", e.getMessage());
    }
  }

  /** How many session sets are open. */
  public int size() {
    return byThread.size();
  }

  @Override
  public void close() {
    List<ClipInference> all = new ArrayList<>(byThread.values());
    byThread.clear();
    for (ClipInference inference : all) {
      inference.close();
    }
  }
}
