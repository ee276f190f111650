package dev.conductor.exporter.tracing.otlp;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One log line per change of state, never one per batch: a collector that stays down for a day
 * writes one line, and one more when it is back. {@code conductor-otlp} thread only.
 */
final class ExportStateLog {
  private final String endpoint;
  private final Consumer<String> log;
  private final LongSupplier droppedTotal;
  private boolean failing;
  private long droppedBefore;

  /**
   * @param droppedTotal every span dropped so far, for any reason, the batch just given up included
   */
  ExportStateLog(String endpoint, Consumer<String> log, LongSupplier droppedTotal) {
    this.endpoint = endpoint;
    this.log = log;
    this.droppedTotal = droppedTotal;
  }

  /** A batch of {@code spans} spans was given up and counted as dropped. */
  void failed(String problem, int spans) {
    if (!failing) {
      failing = true;
      droppedBefore = droppedTotal.getAsLong() - spans;
      log.accept(
          "OTLP export to "
              + endpoint
              + " failing: "
              + problem
              + "; spans are dropped and counted in conductor_agent_spans_dropped_total until it"
              + " recovers");
    }
  }

  void succeeded() {
    if (failing) {
      failing = false;
      log.accept(
          "OTLP export to "
              + endpoint
              + " recovered; "
              + (droppedTotal.getAsLong() - droppedBefore)
              + " spans were dropped meanwhile");
    }
  }

  boolean failing() {
    return failing;
  }
}
