package io.cmstream.trainer.data;

import java.util.Locale;

/** How training examples are cut from a video (see {@link WindowSampler}). */
public enum WindowSampling {
  /**
   * N labelled seconds per example plus up to (N-1)/2 and N-1-(N-1)/2 seconds of memory-only margin
   * on either side; every clip's memory reads its centred window of N seconds, as in serving.
   */
  SLIDING,
  /**
   * The paper's windows: N consecutive seconds per example, every clip's memory reads all N (a clip
   * at the window's edge sees context on one side only).
   */
  TILED;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WindowSampling parse(String s) {
    for (WindowSampling w : values()) {
      if (w.cliName().equals(s)) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "unknown window sampling '" + s + "' (expected sliding or tiled)");
  }
}
