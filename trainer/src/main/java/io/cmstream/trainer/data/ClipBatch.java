package io.cmstream.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cmstream.trainer.model.MemoryWindows;

/**
 * One training batch: clips [B, 3, T, H, W] of consecutive windows, boxes of the labelled clips
 * (normalised to the clip), which clip each box belongs to (non-decreasing), its multi-hot targets
 * [R, K] and each clip's memory window.
 */
public record ClipBatch(
    float[] clips,
    int clipCount,
    int frames,
    int height,
    int width,
    float[] boxes,
    int[] boxClip,
    float[] targets,
    int numClasses,
    MemoryWindows memoryWindows) {

  public int boxCount() {
    return boxClip.length;
  }

  /** Model inputs (clips, boxes, box clip index) in a manager. */
  public NDList inputs(NDManager m) {
    NDArray c = m.create(clips, new Shape(clipCount, 3, frames, height, width));
    NDArray b = m.create(boxes, new Shape(boxClip.length, 4));
    NDArray i = m.create(boxClip);
    return new NDList(c, b, i);
  }

  /** Targets [R, K]. */
  public NDArray labels(NDManager m) {
    return m.create(targets, new Shape(boxClip.length, numClasses));
  }
}
