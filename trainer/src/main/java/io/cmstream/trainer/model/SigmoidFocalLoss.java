package io.cmstream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Sigmoid focal loss over boxes x classes (multi-label), mean over all elements: FL = alpha_t (1 -
 * p_t)^gamma BCE(x, y), with p_t = p y + (1 - p)(1 - y) and alpha_t = alpha y + (1 - alpha)(1 - y).
 * A negative alpha disables the alpha weighting; gamma = 0 without alpha is exactly binary
 * cross-entropy with logits. Labels: [R, K] in {0, 1}; predictions: logits [R, K].
 */
public final class SigmoidFocalLoss extends Loss {
  private final float alpha;
  private final float gamma;

  public SigmoidFocalLoss(float alpha, float gamma) {
    super("SigmoidFocalLoss");
    if (gamma < 0 || alpha > 1) {
      throw new IllegalArgumentException("focal loss needs gamma >= 0 and alpha <= 1");
    }
    this.alpha = alpha;
    this.gamma = gamma;
  }

  public float alpha() {
    return alpha;
  }

  public float gamma() {
    return gamma;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray x = predictions.singletonOrThrow();
    NDArray y = labels.singletonOrThrow().toType(x.getDataType(), false);
    if (x.getShape().size() == 0) {
      return x.getManager().create(0f);
    }
    // numerically stable BCE with logits: max(x,0) - x y + log(1 + exp(-|x|))
    NDArray bce = Activation.relu(x).sub(x.mul(y)).add(x.abs().neg().exp().add(1f).log());
    NDArray loss = bce;
    if (gamma > 0) {
      NDArray p = Activation.sigmoid(x);
      NDArray pt = p.mul(y).add(p.neg().add(1f).mul(y.neg().add(1f)));
      loss = loss.mul(TorchScalars.pow(pt.neg().add(1f), gamma));
    }
    if (alpha >= 0) {
      NDArray at = y.mul(alpha).add(y.neg().add(1f).mul(1f - alpha));
      loss = loss.mul(at);
    }
    return loss.mean();
  }
}
