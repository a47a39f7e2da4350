package io.cmstream.trainer.model;

import java.util.Locale;

/** Collaborative-memory variants (docs/DESIGN.md section 1). */
public enum MemoryType {
  /** associative memory G = sum phi^T psi / sum L, feature gating X * (1 + sigmoid(theta G W)). */
  DEFAULT,
  /** G = mean over clips and positions of phi(X); gate 1 + sigmoid(W G). */
  AVGPOOL,
  /** associative memory, residual infusion X + W(theta(X) G) instead of gating. */
  RESIDUAL,
  /** N clips, each on its own: no sharing. */
  NONE;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MemoryType parse(String s) {
    for (MemoryType t : values()) {
      if (t.cliName().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown memory variant '" + s + "' (expected default, avgpool, residual or none)");
  }
}
