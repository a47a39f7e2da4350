package io.cmstream.ava.eval;

/**
 * The order in which the reference evaluator holds the rows of one keyframe. It pushes {@code
 * (score, action_id, y1, x1, y2, x2)} tuples through Python's {@code heapq} (keeping the 50 largest
 * for detections: a new row replaces the smallest only when its score is strictly larger), then
 * sorts the heap's array by descending score with a stable sort. Equal scores therefore keep the
 * heap's array order, which this class reproduces exactly (same sift-up and sift-down as CPython's
 * heapq), so that ties break the same way.
 */
final class ReferenceOrder {
  private ReferenceOrder() {}

  /** Python tuple comparison {@code row a < row b} on (score, action, y1, x1, y2, x2). */
  static boolean less(AvaRows r, int a, int b) {
    if (r.score[a] != r.score[b]) {
      return r.score[a] < r.score[b];
    }
    if (r.action[a] != r.action[b]) {
      return r.action[a] < r.action[b];
    }
    if (r.y1[a] != r.y1[b]) {
      return r.y1[a] < r.y1[b];
    }
    if (r.x1[a] != r.x1[b]) {
      return r.x1[a] < r.x1[b];
    }
    if (r.y2[a] != r.y2[b]) {
      return r.y2[a] < r.y2[b];
    }
    if (r.x2[a] != r.x2[b]) {
      return r.x2[a] < r.x2[b];
    }
    return false;
  }

  /**
   * Selects and orders rows {@code rows[from..from+n)} (given in file order) as the reference does
   * with capacity {@code capacity} (0 = unlimited). The result is written back to {@code
   * rows[from..from+k)}; returns k.
   */
  static int select(AvaRows r, int[] rows, int from, int n, int capacity) {
    int cap = capacity < 1 ? n : Math.min(capacity, n);
    int[] heap = new int[cap];
    int size = 0;
    for (int i = 0; i < n; i++) {
      int item = rows[from + i];
      if (capacity < 1 || size < capacity) {
        heap[size] = item;
        siftDown(r, heap, 0, size);
        size++;
      } else if (r.score[item] > r.score[heap[0]]) {
        heap[0] = item;
        siftUp(r, heap, size, 0);
      }
    }
    // stable sort by descending score (insertion sort: stable, and n is small per key)
    for (int i = 1; i < size; i++) {
      int x = heap[i];
      int j = i - 1;
      while (j >= 0 && r.score[heap[j]] < r.score[x]) {
        heap[j + 1] = heap[j];
        j--;
      }
      heap[j + 1] = x;
    }
    System.arraycopy(heap, 0, rows, from, size);
    return size;
  }

  // CPython heapq._siftdown: move heap[pos] up towards startPos while smaller than its parent
  private static void siftDown(AvaRows r, int[] heap, int startPos, int pos) {
    int item = heap[pos];
    while (pos > startPos) {
      int parentPos = (pos - 1) >> 1;
      int parent = heap[parentPos];
      if (less(r, item, parent)) {
        heap[pos] = parent;
        pos = parentPos;
        continue;
      }
      break;
    }
    heap[pos] = item;
  }

  // CPython heapq._siftup: bubble the smaller child up to a leaf, then sift the item down
  private static void siftUp(AvaRows r, int[] heap, int endPos, int pos) {
    int startPos = pos;
    int item = heap[pos];
    int child = 2 * pos + 1;
    while (child < endPos) {
      int right = child + 1;
      if (right < endPos && !less(r, heap[child], heap[right])) {
        child = right;
      }
      heap[pos] = heap[child];
      pos = child;
      child = 2 * pos + 1;
    }
    heap[pos] = item;
    siftDown(r, heap, startPos, pos);
  }
}
