package io.cmstream.trainer.importer;

import java.util.Arrays;

/**
 * One array of a source checkpoint, as float32 in row-major (C) order.
 *
 * @param shape dimensions (empty for a scalar)
 * @param values shape's product of values
 */
public record WeightArray(long[] shape, float[] values) {
  public WeightArray {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
    }
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The shape as PyTorch prints it, e.g. {@code [64, 3, 1, 7, 7]}. */
  public String shapeText() {
    return Arrays.toString(shape);
  }

  /** The same values with another shape of the same size (Caffe2 blobs may drop trailing 1s). */
  public WeightArray reshaped(long[] newShape) {
    return new WeightArray(newShape, values);
  }
}
