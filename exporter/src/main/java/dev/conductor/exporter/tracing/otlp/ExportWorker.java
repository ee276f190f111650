package dev.conductor.exporter.tracing.otlp;

import dev.conductor.exporter.tracing.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The body of the {@code conductor-otlp} thread: takes a batch when {@code batch_size} spans are
 * queued, or whatever is queued once {@code export_interval_ms} has passed, and sends it, retrying
 * as {@link RetryPolicy} says. Once asked to close, it sends what is queued until the close
 * deadline and counts the rest as dropped.
 *
 * <p>Every span taken from the queue is counted once: exported, rejected or export_failed.
 */
final class ExportWorker implements Runnable {
  private final SpscSpanQueue queue;
  private final TraceRequestEncoder encoder;
  private final OtlpHttpSender sender;
  private final RetryPolicy retry;
  private final ExportCounters counters;
  private final ExportStateLog state;
  private final int batchSize;
  private final long intervalNanos;
  private final int timeoutMillis;
  private final List<Span> batch;

  private volatile boolean closing;
  private volatile long closeDeadlineNanos;

  ExportWorker(
      SpscSpanQueue queue,
      TraceRequestEncoder encoder,
      OtlpHttpSender sender,
      RetryPolicy retry,
      ExportCounters counters,
      ExportStateLog state,
      int batchSize,
      long intervalMillis,
      int timeoutMillis) {
    this.queue = queue;
    this.encoder = encoder;
    this.sender = sender;
    this.retry = retry;
    this.counters = counters;
    this.state = state;
    this.batchSize = batchSize;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.timeoutMillis = timeoutMillis;
    this.batch = new ArrayList<>(batchSize);
  }

  /** Any thread; the caller unparks the worker's thread afterwards. */
  void requestClose(long deadlineNanos) {
    closeDeadlineNanos = deadlineNanos;
    closing = true;
  }

  @Override
  public void run() {
    long nextFlush = System.nanoTime() + intervalNanos;
    while (!closing) {
      long now = System.nanoTime();
      if (queue.size() >= batchSize) {
        exportBatch();
      } else if (now - nextFlush >= 0) {
        if (queue.size() > 0) {
          exportBatch();
        }
        nextFlush = now + intervalNanos;
      } else {
        // Woken early by the producer when a full batch is queued, or by close().
        LockSupport.parkNanos(this, nextFlush - now);
      }
    }
    while (queue.size() > 0 && nanosLeft() > 0) {
      exportBatch();
    }
    batch.clear();
    counters.exportFailed.addAndGet(queue.drainTo(batch, Integer.MAX_VALUE));
    batch.clear();
  }

  private void exportBatch() {
    batch.clear();
    int spans = queue.drainTo(batch, batchSize);
    try {
      encoder.encode(batch);
      send(spans);
    } catch (RuntimeException e) {
      drop(spans, "could not export a batch: " + e);
    }
    batch.clear();
  }

  private void send(int spans) {
    for (int attempt = 1; ; attempt++) {
      ExportOutcome outcome = sender.send(encoder.array(), encoder.length(), attemptTimeout());
      switch (outcome.result()) {
        case ACCEPTED -> {
          long rejected = Math.min(outcome.rejectedSpans(), spans);
          counters.exported.addAndGet(spans - rejected);
          counters.rejected.addAndGet(rejected);
          state.succeeded();
          return;
        }
        case FAILED -> {
          drop(spans, outcome.problem());
          return;
        }
        case RETRYABLE -> {
          if (attempt >= retry.maxAttempts()
              || !pause(retry.backoffNanos(attempt, outcome.retryAfterNanos()))) {
            drop(spans, outcome.problem());
            return;
          }
        }
      }
    }
  }

  private void drop(int spans, String problem) {
    counters.exportFailed.addAndGet(spans);
    state.failed(problem, spans);
  }

  /** Waits before a retry; false when closing leaves no time for it. */
  private boolean pause(long nanos) {
    long until = System.nanoTime() + nanos;
    while (true) {
      long left = until - System.nanoTime();
      if (closing && nanosLeft() < left) {
        return false;
      }
      if (left <= 0) {
        return true;
      }
      LockSupport.parkNanos(this, left); // close() unparks: the deadline is checked again
    }
  }

  private int attemptTimeout() {
    if (!closing) {
      return timeoutMillis;
    }
    long left = TimeUnit.NANOSECONDS.toMillis(nanosLeft());
    return (int) Math.max(1, Math.min(timeoutMillis, left));
  }

  private long nanosLeft() {
    return closing ? closeDeadlineNanos - System.nanoTime() : Long.MAX_VALUE;
  }
}
