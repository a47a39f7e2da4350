package io.cmstream.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What one clip adds to the memory of its neighbours: the C'xC' matrix phi(X)^T psi(X) (row-major,
 * summed over the clip's positions) and its weight L (the number of positions).
 */
public record MemoryContribution(float[] matrix, float weight) {

  public MemoryContribution {
    if (matrix == null || matrix.length == 0) {
      throw new IllegalArgumentException("contribution matrix is empty");
    }
    int side = (int) Math.round(Math.sqrt(matrix.length));
    if (side * side != matrix.length) {
      throw new IllegalArgumentException(
          "contribution has " + matrix.length + " values, not a square C'xC'");
    }
    if (!(weight > 0) || Float.isInfinite(weight)) {
      throw new IllegalArgumentException("contribution weight must be > 0, got " + weight);
    }
  }

  /** The contribution of one encoded clip. */
  public static MemoryContribution of(EncoderOutput clip) {
    return new MemoryContribution(clip.contribution(), clip.weight());
  }

  /** C', the side of the matrix. */
  public int memoryChannels() {
    return (int) Math.round(Math.sqrt(matrix.length));
  }

  /** Little-endian bytes: weight (float32) then the matrix (float32 each), for state stores. */
  public byte[] toBytes() {
    ByteBuffer buffer = ByteBuffer.allocate(4 * (1 + matrix.length)).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putFloat(weight);
    for (float v : matrix) {
      buffer.putFloat(v);
    }
    return buffer.array();
  }

  /** The inverse of {@link #toBytes()}. */
  public static MemoryContribution fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length < 8 || bytes.length % 4 != 0) {
      throw new IllegalArgumentException(
          "not a serialised contribution: " + (bytes == null ? 0 : bytes.length) + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float weight = buffer.getFloat();
    float[] matrix = new float[bytes.length / 4 - 1];
    buffer.asFloatBuffer().get(matrix);
    return new MemoryContribution(matrix, weight);
  }
}
