package io.cmstream.trainer.export;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/** Reads the values of a block's own (direct) parameters. */
public final class Params {
  private Params() {}

  /** The child block added under {@code name} (DJL prefixes child names with a 2-digit index). */
  public static Block child(Block block, String name) {
    for (ai.djl.util.Pair<String, Block> c : block.getChildren()) {
      String key = c.getKey();
      if (key.equals(name) || (key.length() == name.length() + 2 && key.endsWith(name))) {
        return c.getValue();
      }
    }
    throw new IllegalStateException(
        block.getClass().getSimpleName() + " has no child '" + name + "'");
  }

  static Parameter parameter(Block block, String name) {
    Parameter p = block.getParameters().get(name);
    if (p == null || !p.isInitialized()) {
      throw new IllegalStateException(
          "parameter '"
              + name
              + "' of "
              + block.getClass().getSimpleName()
              + " is missing or not initialised");
    }
    return p;
  }

  static float[] floats(Block block, String name) {
    return parameter(block, name).getArray().toFloatArray();
  }

  static long[] shape(Block block, String name) {
    return parameter(block, name).getArray().getShape().getShape();
  }
}
