package io.cmstream.detector;

/**
 * How the cores of an instance are used: each stream thread has its own ONNX Runtime sessions and
 * runs one operator at a time, so {@code streamThreads x intra-op threads} cores are busy at most;
 * more than the cores oversubscribes them (warned at start).
 *
 * <p>The defaults, measured with {@code bin/cm bench-live} (demo bundle, 16 streams, 2-core
 * machine, docs/experiments.md): one intra-op thread per session. 1 stream thread x 1 intra-op
 * thread served 29.7 clips/s, 2 x 1 32.2, but 1 x 2 only 11.4 (the raw loop also ran at about half
 * speed with 2 intra-op threads: the demo encoder's operators are too small to split). Inter-op
 * parallelism stays at 1: both graphs are chains of operators.
 *
 * @param cores processors of the instance ({@code Runtime.availableProcessors()}: the container's
 *     CPU limit where one is set)
 * @param streamThreads Kafka Streams threads ({@code num.stream.threads})
 */
public record ThreadBudget(int cores, int streamThreads) {

  /** Default ONNX Runtime intra-op threads per session. */
  public static final int INTRA_OP_THREADS = 1;

  public ThreadBudget {
    if (cores < 1 || streamThreads < 1) {
      throw new IllegalArgumentException(
          "cores and stream threads must be >= 1, got " + cores + " and " + streamThreads);
    }
  }

  /** This machine's processors. */
  public static ThreadBudget here(int streamThreads) {
    return new ThreadBudget(Runtime.getRuntime().availableProcessors(), streamThreads);
  }

  /** Whether {@code intraOp} threads per stream thread ask for more cores than there are. */
  public boolean oversubscribedWith(int intraOp) {
    return (long) streamThreads * intraOp > cores;
  }
}
