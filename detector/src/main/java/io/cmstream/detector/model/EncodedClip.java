package io.cmstream.detector.model;

import io.cmstream.detector.state.Contribution;

/**
 * The encoder's outputs for one clip (see the ONNX graph contract).
 *
 * @param rows         R, number of person boxes
 * @param channels     C, RoI feature channels
 * @param roiFeats     [R, C] row-major
 * @param key          [C'] mean of theta(X)
 * @param contribution phi(X)^T psi(X) and the weight L
 */
public record EncodedClip(int rows, int channels, float[] roiFeats, float[] key, Contribution contribution) {}
