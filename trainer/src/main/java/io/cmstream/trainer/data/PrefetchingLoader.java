package io.cmstream.trainer.data;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiFunction;

/**
 * Loads batches on a background thread, up to {@code depth} ahead of the consumer (decoding runs
 * while the model computes). Batch i is built with its own Random(seed, i), so the data do not
 * depend on thread timing. A loading failure is rethrown to the consumer.
 */
public final class PrefetchingLoader<B, T> implements Iterator<T>, AutoCloseable {
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue;
  private final Thread worker;
  private final int total;
  private int taken;

  public PrefetchingLoader(List<B> items, BiFunction<B, Random, T> load, long seed, int depth) {
    this.queue = new ArrayBlockingQueue<>(Math.max(1, depth));
    this.total = items.size();
    this.worker =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < items.size(); i++) {
                  queue.put(load.apply(items.get(i), new Random(seed * 1_000_003L + i)));
                }
                queue.put(END);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                queue.clear();
                queue.offer(e);
              }
            },
            "batch-prefetch");
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public boolean hasNext() {
    return taken < total;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object o;
    try {
      o = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading", e);
    }
    if (o instanceof RuntimeException e) {
      taken = total;
      throw e;
    }
    if (o == END) {
      throw new NoSuchElementException();
    }
    taken++;
    return (T) o;
  }

  @Override
  public void close() {
    worker.interrupt();
  }
}
