package io.cmstream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Collaborative Memory (docs/DESIGN.md section 1), placed after the last backbone stage.
 *
 * <p>Input X [B, C, T', H', W'] where the B clips are B/N windows of N consecutive clips (window w
 * = clips w*N .. w*N+N-1); N is the forward parameter {@value #CLIPS_PARAM} (default 1), an int[]
 * of consecutive window sizes or a {@link MemoryWindows} (each clip's own window, e.g. sliding).
 * Children (all without bias): {@code phi}, {@code psi}, {@code theta}: Conv3d 1x1x1 C -> C';
 * {@code w}: Linear C' -> C. Variants: DEFAULT and RESIDUAL have all four, AVGPOOL has phi and w,
 * NONE has none.
 *
 * <ul>
 *   <li>contribution_i = phi(X_i)^T psi(X_i) summed over the L positions [C', C']
 *   <li>G = sum_i contribution_i / sum_i L [C', C'] over the clip's memory window
 *   <li>key_i = mean over positions of theta(X_i) [C']
 *   <li>DEFAULT: Xhat_i = X_i * (1 + sigmoid(W(key_i G))) (per channel)
 *   <li>RESIDUAL: Xhat_i = X_i + W(theta(X_i) G) (per position)
 *   <li>AVGPOOL: g = mean over clips and positions of phi(X) [C']; Xhat_i = X_i * (1 + sigmoid(W
 *       g))
 *   <li>NONE: Xhat_i = X_i
 * </ul>
 */
public final class CollaborativeMemory extends AbstractBlock {
  /** Name of the forward parameter holding N, the clips per window. */
  public static final String CLIPS_PARAM = "clips";

  private final MemoryType type;
  private final int channels;
  private final int memoryChannels;
  private final Conv3d phi;
  private final Conv3d psi;
  private final Conv3d theta;
  private final Linear w;

  public CollaborativeMemory(MemoryType type, int channels, int reduction) {
    this.type = type;
    this.channels = channels;
    this.memoryChannels = channels / reduction;
    boolean assoc = type == MemoryType.DEFAULT || type == MemoryType.RESIDUAL;
    phi = type == MemoryType.NONE ? null : addChildBlock("phi", pointwise(memoryChannels));
    psi = assoc ? addChildBlock("psi", pointwise(memoryChannels)) : null;
    theta = assoc ? addChildBlock("theta", pointwise(memoryChannels)) : null;
    w =
        type == MemoryType.NONE
            ? null
            : addChildBlock("w", Linear.builder().setUnits(channels).optBias(false).build());
  }

  private static Conv3d pointwise(int out) {
    return Conv3d.builder()
        .setFilters(out)
        .setKernelShape(new Shape(1, 1, 1))
        .optBias(false)
        .build();
  }

  public MemoryType type() {
    return type;
  }

  public int channels() {
    return channels;
  }

  public int memoryChannels() {
    return memoryChannels;
  }

  /** The W map (Linear C' -> C, weight [C, C']), or null for NONE. */
  public Linear wMap() {
    return w;
  }

  /**
   * Per clip phi(X)^T psi(X) summed over positions: [B, C', C'] (DEFAULT / RESIDUAL). Computed as P
   * S Q^T with S = sum over positions of x x^T [B, C, C] and P, Q the [C', C] weights of phi and
   * psi: the same sum, one batched matrix product over the map instead of two convolutions. S is
   * formed as H + H^T - H' with H = x x'^T, x' = x held constant and H' = H held constant: the same
   * value, and its gradient (dS + dS^T) x comes from one product over the map, where
   * back-propagating x x^T directly runs two (measured: the default memory's step overhead over
   * {@code none} fell from 3.7 % to 1.0 % in one run, tiny preset, N = 5).
   */
  public NDArray contribution(ParameterStore ps, NDArray x, boolean training) {
    NDArray xf = flat(x);
    NDArray half = xf.matMul(xf.stopGradient().transpose(0, 2, 1));
    NDArray moments = half.add(half.transpose(0, 2, 1)).sub(half.stopGradient());
    return contributionOfMoments(ps, moments, training);
  }

  /**
   * P S Q^T from second moments S [B, C, C] of the features (summed or averaged over positions).
   */
  public NDArray contributionOfMoments(ParameterStore ps, NDArray moments, boolean training) {
    return matrix(ps, phi, moments, training)
        .matMul(moments)
        .matMul(matrix(ps, psi, moments, training).transpose());
  }

  /** Per clip mean over positions of theta(X) = theta(mean over positions of X): [B, C']. */
  public NDArray key(ParameterStore ps, NDArray x, boolean training) {
    return keyOfMean(ps, pooled(x), training);
  }

  /** theta of per-clip mean features [B, C]: [B, C']. */
  public NDArray keyOfMean(ParameterStore ps, NDArray mean, boolean training) {
    return mean.matMul(matrix(ps, theta, mean, training).transpose());
  }

  /** A pointwise map's weight as a [C', C] matrix, on the device of x, attached to x's manager. */
  private NDArray matrix(ParameterStore ps, Conv3d conv, NDArray x, boolean training) {
    NDArray m =
        ps.getValue(conv.getParameters().get("weight"), x.getDevice(), training)
            .reshape(memoryChannels, channels);
    m.attach(x.getManager()); // the reshaped view (and the products it heads) live with the step
    return m;
  }

  /** Mean over the L positions of X: [B, C]. */
  private static NDArray pooled(NDArray x) {
    return flat(x).mean(new int[] {2});
  }

  /** L = T' H' W', the positions of one clip's feature map. */
  public static long positions(NDArray x) {
    Shape s = x.getShape();
    return s.get(2) * s.get(3) * s.get(4);
  }

  /**
   * The DEFAULT gate 1 + sigmoid(W(key G)) from keys [B, C'] and per-clip memories [B, C', C']: [B,
   * C].
   */
  public NDArray gate(ParameterStore ps, NDArray key, NDArray memory, boolean training) {
    NDArray kg = key.expandDims(1).matMul(memory).squeeze(1);
    return Activation.sigmoid(w.forward(ps, new NDList(kg), training).singletonOrThrow()).add(1f);
  }

  /**
   * RESIDUAL's infusion W(theta(x) G) at every position: positions [B, C, P], memories G [B, C',
   * C'] -> [B, C, P]. Linear per position, so it commutes with pooling and RoIAlign.
   */
  public NDArray residual(ParameterStore ps, NDArray positions, NDArray memory, boolean training) {
    NDArray t = matrix(ps, theta, positions, training).matMul(positions); // [B, C', P]
    NDArray m = t.transpose(0, 2, 1).matMul(memory); // [B, P, C']
    NDArray u = w.forward(ps, new NDList(m), training).singletonOrThrow(); // [B, P, C]
    return u.transpose(0, 2, 1);
  }

  /** AVGPOOL: per clip mean over positions of phi(X) = phi(mean of X): [B, C']. */
  public NDArray pooledPhi(ParameterStore ps, NDArray x, boolean training) {
    return pooledPhiOfMean(ps, pooled(x), training);
  }

  /** AVGPOOL: phi of per-clip mean features [B, C]: [B, C']. */
  public NDArray pooledPhiOfMean(ParameterStore ps, NDArray mean, boolean training) {
    return mean.matMul(matrix(ps, phi, mean, training).transpose());
  }

  /** AVGPOOL gate 1 + sigmoid(W g) from window means g [B, C']: [B, C]. */
  public NDArray pooledGate(ParameterStore ps, NDArray windowMean, boolean training) {
    return Activation.sigmoid(w.forward(ps, new NDList(windowMean), training).singletonOrThrow())
        .add(1f);
  }

  /** Window memory G per clip: contributions [B, C', C'] summed over each window / (N L). */
  public static NDArray windowMemory(NDArray contributions, int clips, long positions) {
    return windowMemory(
        contributions, MemoryWindows.uniform(contributions.getShape().get(0), clips), positions);
  }

  /**
   * Window memory G per clip for consecutive windows of the given sizes (a window clipped at a
   * video border has fewer clips): [B, C', C'].
   */
  public static NDArray windowMemory(NDArray contributions, int[] windowSizes, long positions) {
    return windowMemory(contributions, MemoryWindows.whole(windowSizes), positions);
  }

  /**
   * Memory G per clip: the contributions [B, C', C'] of the clips of its memory window, summed and
   * divided by (window clips * L): [B, C', C'].
   */
  public static NDArray windowMemory(NDArray contributions, MemoryWindows windows, long positions) {
    return windows.mean(contributions, (float) positions);
  }

  /** Xhat for B clips forming B/N windows of N clips. */
  public NDArray apply(ParameterStore ps, NDArray x, int clips, boolean training) {
    return apply(ps, x, MemoryWindows.uniform(x.getShape().get(0), clips), training);
  }

  /** Xhat for B clips forming consecutive windows of the given sizes. */
  public NDArray apply(ParameterStore ps, NDArray x, int[] windowSizes, boolean training) {
    return apply(ps, x, MemoryWindows.whole(windowSizes), training);
  }

  /** Xhat for B clips, each reading the memory of its window. */
  public NDArray apply(ParameterStore ps, NDArray x, MemoryWindows windows, boolean training) {
    long b = x.getShape().get(0);
    long l = positions(x);
    switch (type) {
      case NONE:
        return x;
      case DEFAULT:
        {
          NDArray g = windowMemory(contribution(ps, x, training), windows, l);
          return x.mul(gate(ps, key(ps, x, training), g, training).reshape(b, channels, 1, 1, 1));
        }
      case RESIDUAL:
        {
          NDArray g = windowMemory(contribution(ps, x, training), windows, l);
          return x.add(residual(ps, flat(x), g, training).reshape(x.getShape()));
        }
      case AVGPOOL:
        {
          NDArray g = windows.mean(pooledPhi(ps, x, training), 1f);
          NDArray gate = pooledGate(ps, g, training);
          return x.mul(gate.reshape(b, channels, 1, 1, 1));
        }
      default:
        throw new IllegalStateException(type.name());
    }
  }

  /**
   * The per-channel gate [B, C] of the gating variants (DEFAULT: 1 + sigmoid(W(key G)), AVGPOOL: 1
   * + sigmoid(W g)), or null for NONE and RESIDUAL. Because the gate is a positive factor per clip
   * and channel, gating the pooled RoI features equals pooling the gated map (docs/DESIGN.md
   * section 2), without touching the whole [B, C, T', H', W'] map.
   */
  public NDArray channelGate(
      ParameterStore ps, NDArray x, MemoryWindows windows, boolean training) {
    switch (type) {
      case DEFAULT:
        return gate(
            ps,
            key(ps, x, training),
            windowMemory(contribution(ps, x, training), windows, positions(x)),
            training);
      case AVGPOOL:
        return pooledGate(ps, windows.mean(pooledPhi(ps, x, training), 1f), training);
      default:
        return null;
    }
  }

  /**
   * Rows of a per-clip array [B, C] for each box's clip: [R, C] (a one-hot selection product,
   * differentiable with respect to the rows).
   */
  public static NDArray perBox(NDArray perClip, int[] boxClip) {
    return boxSelection(perClip.getManager(), boxClip, (int) perClip.getShape().get(0))
        .matMul(perClip);
  }

  /** The one-hot selection [R, clips] of each box's clip: row r has a 1 at column boxClip[r]. */
  public static NDArray boxSelection(NDManager manager, int[] boxClip, int clips) {
    float[] sel = new float[boxClip.length * clips];
    for (int r = 0; r < boxClip.length; r++) {
      sel[r * clips + boxClip[r]] = 1f;
    }
    return manager.create(sel, new Shape(boxClip.length, clips));
  }

  /**
   * Memory windows from the forward parameter: an int N (uniform whole windows), an int[] of
   * whole-window sizes or a {@link MemoryWindows}.
   */
  public static MemoryWindows windows(PairList<String, Object> params, long batch) {
    Object v = params == null ? null : params.get(CLIPS_PARAM);
    if (v == null) {
      return MemoryWindows.uniform(batch, 1);
    }
    if (v instanceof MemoryWindows w) {
      return w;
    }
    if (v instanceof int[] sizes) {
      return MemoryWindows.whole(sizes);
    }
    return MemoryWindows.uniform(batch, ((Number) v).intValue());
  }

  private static NDArray flat(NDArray y) {
    Shape s = y.getShape();
    return y.reshape(s.get(0), s.get(1), s.get(2) * s.get(3) * s.get(4));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    return new NDList(apply(ps, x, windows(params, x.getShape().get(0)), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    if (phi != null) {
      phi.initialize(manager, dataType, x);
    }
    if (psi != null) {
      psi.initialize(manager, dataType, x);
    }
    if (theta != null) {
      theta.initialize(manager, dataType, x);
    }
    if (w != null) {
      w.initialize(manager, dataType, new Shape(x.get(0), memoryChannels));
    }
  }
}
