package io.cmstream.detector.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One set of ONNX sessions per thread that asks: Kafka Streams runs all tasks of a stream thread on
 * that thread, so its processors share the thread's sessions. Owned by the application; {@link
 * #close()} releases every session.
 */
public final class InferencePool implements AutoCloseable {

  private final DetectorModel.InferenceFactory factory;
  private final Map<Thread, ClipInference> byThread = new ConcurrentHashMap<>();

  public InferencePool(DetectorModel.InferenceFactory factory) {
    this.factory = factory;
  }

  /** The sessions of the calling thread, opened on first use. */
  public ClipInference forCurrentThread() {
    return byThread.computeIfAbsent(Thread.currentThread(), t -> factory.open());
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
