package io.cmstream.detector;

/**
 * How the cores of an instance are split: each stream thread has its own ONNX Runtime sessions
 * and runs one operator at a time, so {@code streamThreads x intra-op threads} cores are busy
 * at most. The default intra-op count fills the cores without oversubscribing them; inter-op
 * parallelism stays at 1 (both graphs are chains of operators: nothing runs side by side).
 *
 * @param cores         processors of the instance ({@code Runtime.availableProcessors()}: the
 *                      container's CPU limit where one is set)
 * @param streamThreads Kafka Streams threads ({@code num.stream.threads})
 */
public record ThreadBudget(int cores, int streamThreads) {

  public ThreadBudget {
    if (cores < 1 || streamThreads < 1) {
      throw new IllegalArgumentException("cores and stream threads must be >= 1, got " + cores + " and " + streamThreads);
    }
  }

  /** This machine's processors. */
  public static ThreadBudget here(int streamThreads) {
    return new ThreadBudget(Runtime.getRuntime().availableProcessors(), streamThreads);
  }

  /** Intra-op threads per session: the cores shared by the stream threads, at least 1. */
  public int intraOpThreads() {
    return Math.max(1, cores / streamThreads);
  }

  /** Whether {@code intraOp} threads per stream thread ask for more cores than there are. */
  public boolean oversubscribedWith(int intraOp) {
    return (long) streamThreads * intraOp > cores;
  }
}
