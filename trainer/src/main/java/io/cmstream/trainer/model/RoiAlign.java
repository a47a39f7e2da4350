package io.cmstream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * RoIAlign written as a bilinear weight matrix times the features, so it is differentiable with
 * respect to the features through ordinary matrix products (boxes carry no gradient).
 *
 * <p>Semantics are those of torchvision's {@code roi_align(aligned=True)} and of ONNX {@code
 * RoiAlign} (opset 16, {@code coordinate_transformation_mode="half_pixel"}, {@code mode="avg"})
 * with a fixed sampling ratio: a box in normalised [0,1] coordinates maps to feature coordinates x
 * * W - 0.5, y * H - 0.5; each of the S x S bins averages sr x sr bilinear samples placed at the
 * centres of a regular sub-grid; a sample with y &lt; -1, y &gt; H, x &lt; -1 or x &gt; W
 * contributes 0 (but still counts in the average); samples in [-1, 0] are clamped to 0 and samples
 * beyond the last row/column to it.
 *
 * <p>Sampling ratio 0 is adaptive, as torchvision and ONNX: ceil(box height / S) x ceil(box width /
 * S) samples per bin, per box (PySlowFast's and MMAction2's heads). {@code legacy} is {@code
 * aligned=False} (ONNX {@code output_half_pixel}): no half-pixel shift, and box sides below one
 * feature cell count as one.
 */
public final class RoiAlign {
  private final int outputSize;
  private final int samplingRatio;
  private final boolean legacy;

  public RoiAlign(int outputSize, int samplingRatio) {
    this(outputSize, samplingRatio, false);
  }

  /**
   * @param samplingRatio samples per bin side, 0 = adaptive
   * @param legacy true: {@code aligned=False}
   */
  public RoiAlign(int outputSize, int samplingRatio, boolean legacy) {
    if (outputSize < 1 || samplingRatio < 0) {
      throw new IllegalArgumentException("output size must be >= 1 and sampling ratio >= 0");
    }
    this.outputSize = outputSize;
    this.samplingRatio = samplingRatio;
    this.legacy = legacy;
  }

  public boolean legacy() {
    return legacy;
  }

  public int outputSize() {
    return outputSize;
  }

  public int samplingRatio() {
    return samplingRatio;
  }

  /**
   * Bilinear weights of one box: a [S*S, H*W] row-major matrix; row ph*S+pw holds the weights with
   * which bin (ph, pw) averages the H x W feature positions.
   */
  public float[] weights(float x1, float y1, float x2, float y2, int height, int width) {
    int s = outputSize;
    float[] w = new float[s * s * height * width];
    float offset = legacy ? 0f : 0.5f;
    float startX = x1 * width - offset;
    float startY = y1 * height - offset;
    float roiW = x2 * width - offset - startX;
    float roiH = y2 * height - offset - startY;
    if (legacy) {
      roiW = Math.max(roiW, 1f);
      roiH = Math.max(roiH, 1f);
    }
    float binW = roiW / s;
    float binH = roiH / s;
    int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiH / s);
    int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiW / s);
    float inv = 1f / Math.max(gridH * gridW, 1);
    for (int ph = 0; ph < s; ph++) {
      for (int pw = 0; pw < s; pw++) {
        int row = (ph * s + pw) * height * width;
        for (int iy = 0; iy < gridH; iy++) {
          float y = startY + ph * binH + (iy + 0.5f) * binH / gridH;
          for (int ix = 0; ix < gridW; ix++) {
            float x = startX + pw * binW + (ix + 0.5f) * binW / gridW;
            addBilinear(w, row, y, x, height, width, inv);
          }
        }
      }
    }
    return w;
  }

  private static void addBilinear(
      float[] w, int row, float y, float x, int h, int wd, float scale) {
    if (y < -1f || y > h || x < -1f || x > wd) {
      return;
    }
    y = Math.max(y, 0f);
    x = Math.max(x, 0f);
    int yLow = (int) y;
    int yHigh;
    if (yLow >= h - 1) {
      yLow = h - 1;
      yHigh = yLow;
      y = yLow;
    } else {
      yHigh = yLow + 1;
    }
    int xLow = (int) x;
    int xHigh;
    if (xLow >= wd - 1) {
      xLow = wd - 1;
      xHigh = xLow;
      x = xLow;
    } else {
      xHigh = xLow + 1;
    }
    float ly = y - yLow;
    float lx = x - xLow;
    float hy = 1f - ly;
    float hx = 1f - lx;
    w[row + yLow * wd + xLow] += hy * hx * scale;
    w[row + yLow * wd + xHigh] += hy * lx * scale;
    w[row + yHigh * wd + xLow] += ly * hx * scale;
    w[row + yHigh * wd + xHigh] += ly * lx * scale;
  }

  /**
   * @param features [B, C, H, W]
   * @param boxes [R, 4] normalised x1, y1, x2, y2
   * @param batchIndex [R] which feature map each box belongs to (non-decreasing)
   * @return [R, C, S, S]
   */
  public NDArray apply(NDArray features, NDArray boxes, int[] batchIndex) {
    Shape fs = features.getShape();
    int b = (int) fs.get(0);
    int c = (int) fs.get(1);
    int h = (int) fs.get(2);
    int wd = (int) fs.get(3);
    int r = batchIndex.length;
    NDManager m = features.getManager();
    if (r == 0) {
      return m.zeros(new Shape(0, c, outputSize, outputSize), features.getDataType());
    }
    float[] bx = boxes.toFloatArray();
    int cells = outputSize * outputSize;
    NDList parts = new NDList();
    int start = 0;
    while (start < r) {
      int img = batchIndex[start];
      if (img < 0 || img >= b || (start > 0 && img < batchIndex[start - 1])) {
        throw new IllegalArgumentException("box batch indices must be non-decreasing and < B");
      }
      int end = start;
      while (end < r && batchIndex[end] == img) {
        end++;
      }
      int n = end - start;
      float[] wm = new float[n * cells * h * wd];
      for (int i = 0; i < n; i++) {
        int k = (start + i) * 4;
        float[] one = weights(bx[k], bx[k + 1], bx[k + 2], bx[k + 3], h, wd);
        System.arraycopy(one, 0, wm, i * one.length, one.length);
      }
      NDArray weights = m.create(wm, new Shape((long) n * cells, (long) h * wd));
      NDArray feats = features.get(img).reshape(c, (long) h * wd);
      // [n*S*S, HW] x [HW, C] -> [n, S, S, C] -> [n, C, S, S]
      NDArray out =
          weights
              .matMul(feats.transpose())
              .reshape(n, outputSize, outputSize, c)
              .transpose(0, 3, 1, 2);
      parts.add(out);
      start = end;
    }
    return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
  }
}
