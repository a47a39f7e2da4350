package io.cmstream.detector.state;

import java.nio.ByteBuffer;

/**
 * One second's share of the collaborative memory: {@code phi(X)^T psi(X)} summed over the
 * clip's positions (a {@code dim x dim} matrix, row-major) and the number of positions L.
 */
public record Contribution(int dim, float[] matrix, float weight) {

  public Contribution {
    if (matrix.length != dim * dim) {
      throw new IllegalArgumentException("contribution has " + matrix.length + " values, expected " + dim + "x" + dim);
    }
  }

  public byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(8 + 4 * matrix.length);
    buf.putInt(dim).putFloat(weight);
    buf.asFloatBuffer().put(matrix);
    return buf.array();
  }

  public static Contribution fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int dim = buf.getInt();
    float weight = buf.getFloat();
    float[] matrix = new float[dim * dim];
    buf.asFloatBuffer().get(matrix);
    return new Contribution(dim, matrix, weight);
  }
}
