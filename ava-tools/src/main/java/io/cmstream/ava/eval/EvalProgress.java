package io.cmstream.ava.eval;

/** Progress of an evaluation, reported by stage; {@link #step} may be called from any thread. */
public interface EvalProgress extends AutoCloseable {
  /** A new stage of {@code total} units (bytes for reading, keyframes for matching). */
  void stage(String name, String unit, long total);

  void step(long units);

  @Override
  void close();

  /** Reports nothing. */
  EvalProgress NONE =
      new EvalProgress() {
        @Override
        public void stage(String name, String unit, long total) {}

        @Override
        public void step(long units) {}

        @Override
        public void close() {}
      };
}
