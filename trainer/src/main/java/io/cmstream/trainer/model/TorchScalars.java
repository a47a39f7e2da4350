package io.cmstream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant for arrays that back-propagate. DJL 0.36's {@code x.mul(2f)}, {@code
 * div(float)} and {@code pow(float)} wrap the constant in a 0-dim tensor made by {@code
 * torch::from_blob} over a Java direct buffer and close it right after the forward op; autograd
 * saves that tensor for backward, so a garbage collection between forward and backward frees its
 * memory and the gradient is computed from whatever the freed bytes hold (non-finite gradients at
 * random). Here the constant is a tensor in torch's own memory, which the autograd graph keeps
 * alive by reference count.
 */
public final class TorchScalars {
  private TorchScalars() {}

  /** x * v. */
  public static NDArray mul(NDArray x, float v) {
    try (NDArray s = scalar(x, v)) {
      return x.mul(s);
    }
  }

  /** x / v. */
  public static NDArray div(NDArray x, float v) {
    try (NDArray s = scalar(x, v)) {
      return x.div(s);
    }
  }

  /** x ^ v. */
  public static NDArray pow(NDArray x, float v) {
    try (NDArray s = scalar(x, v)) {
      return x.pow(s);
    }
  }

  private static NDArray scalar(NDArray like, float v) {
    return like.getManager().full(new Shape(), v, like.getDataType());
  }
}
