package dev.conductor.exporter.tracing;

import dev.conductor.bootstrap.Event;

/** Builds the span of each drained event that closed one and stores it. Exporter thread only. */
public final class TraceRecorder {
  private final SpanAssembler assembler;
  private final TraceStore store;

  public TraceRecorder(SpanAssembler assembler, TraceStore store) {
    this.assembler = assembler;
    this.store = store;
  }

  public void record(Event event) {
    StoredSpan span = assembler.spanOf(event);
    if (span != null) {
      store.add(span);
    }
  }

  public TraceStore store() {
    return store;
  }
}
