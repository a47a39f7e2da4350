package io.cmstream.ava.eval;

import java.util.Arrays;

/**
 * The rows of one AVA CSV file (ground truth or detections) as primitive columns, in file order.
 * Rows of two columns ({@code video_id,timestamp}, "this keyframe exists") have {@code action} 0
 * and are marked in {@code keyOnly}. {@code score} is the eighth column (the score of a detection,
 * the person id of a ground-truth row) or 1.0 when there are seven columns: this is how the
 * reference reads both files.
 */
final class AvaRows {
  int size;
  int[] key;
  double[] x1;
  double[] y1;
  double[] x2;
  double[] y2;
  int[] action;
  double[] score;
  boolean[] keyOnly;

  AvaRows(int capacity) {
    capacity = Math.max(capacity, 16);
    key = new int[capacity];
    x1 = new double[capacity];
    y1 = new double[capacity];
    x2 = new double[capacity];
    y2 = new double[capacity];
    action = new int[capacity];
    score = new double[capacity];
    keyOnly = new boolean[capacity];
  }

  void ensure(int capacity) {
    if (capacity <= key.length) {
      return;
    }
    int n = Math.max(capacity, key.length + (key.length >> 1));
    key = Arrays.copyOf(key, n);
    x1 = Arrays.copyOf(x1, n);
    y1 = Arrays.copyOf(y1, n);
    x2 = Arrays.copyOf(x2, n);
    y2 = Arrays.copyOf(y2, n);
    action = Arrays.copyOf(action, n);
    score = Arrays.copyOf(score, n);
    keyOnly = Arrays.copyOf(keyOnly, n);
  }

  /** Appends all rows of {@code o} (whose key column holds ids already valid here). */
  void append(AvaRows o) {
    ensure(size + o.size);
    System.arraycopy(o.key, 0, key, size, o.size);
    System.arraycopy(o.x1, 0, x1, size, o.size);
    System.arraycopy(o.y1, 0, y1, size, o.size);
    System.arraycopy(o.x2, 0, x2, size, o.size);
    System.arraycopy(o.y2, 0, y2, size, o.size);
    System.arraycopy(o.action, 0, action, size, o.size);
    System.arraycopy(o.score, 0, score, size, o.size);
    System.arraycopy(o.keyOnly, 0, keyOnly, size, o.size);
    size += o.size;
  }
}
