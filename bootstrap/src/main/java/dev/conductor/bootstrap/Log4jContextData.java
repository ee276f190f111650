package dev.conductor.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Log correlation for Log4j 2 (see {@link LogCorrelation}): the keys are added to the context data
 * a {@code ContextDataInjector} returns for a new log event, on the thread that logs. Every event
 * Log4j creates, synchronous, reusable or asynchronous logger, takes its context data there.
 *
 * <p>That data is a Log4j {@code StringMap}, a type the bootstrap loader cannot name; it is used
 * through method handles on the public interface, found from the returned object's class loader. An
 * injector returns either the event's own reusable map, filled, or a map of its own that may be the
 * thread context's internal, frozen data: the first gets the keys in place, the second is never
 * touched, and the event gets a copy with the keys instead, frozen when it was.
 */
final class Log4jContextData {
  private static final String STRING_MAP = "org.apache.logging.log4j.util.StringMap";
  private static final String READ_ONLY = "org.apache.logging.log4j.util.ReadOnlyStringMap";
  private static final String SORTED = "org.apache.logging.log4j.util.SortedArrayStringMap";

  /** The handles for the {@code StringMap} type last seen; another loader's replaces it. */
  private static volatile Handles handles;

  /** A loader where the types were not found, not asked again. */
  private static volatile ClassLoader notFoundIn;

  private Log4jContextData() {}

  /**
   * What the event gets instead of {@code returned}, the injector's result; {@code reusable} is the
   * map the injector was given to fill.
   */
  static Object withTrace(Object reusable, Object returned) throws Throwable {
    if (returned == null || !LogCorrelation.active()) {
      return returned;
    }
    SpanStack spans = CallDepth.current().spans;
    if (!spans.topIsReal()) {
      return returned;
    }
    Handles map = handlesFor(returned);
    if (map == null || (boolean) map.containsKey.invokeExact(returned, LogCorrelation.TRACE_ID)) {
      return returned;
    }
    boolean frozen = (boolean) map.isFrozen.invokeExact(returned);
    Object target = returned;
    if (returned != reusable || frozen) {
      target = (Object) map.copy.invokeExact(returned);
    }
    int top = spans.topWithIds();
    String traceId = TraceParent.hex(spans.traceHigh(top), spans.traceLow(top));
    map.putValue.invokeExact(target, LogCorrelation.TRACE_ID, (Object) traceId);
    map.putValue.invokeExact(
        target, LogCorrelation.SPAN_ID, (Object) TraceParent.hex(spans.spanId(top)));
    map.putValue.invokeExact(target, LogCorrelation.CORRELATION_ID, (Object) traceId);
    if (target != returned && frozen) {
      map.freeze.invokeExact(target);
    }
    return target;
  }

  /** The handles for {@code returned}'s {@code StringMap} type, null when it is not one. */
  private static Handles handlesFor(Object returned) {
    Handles known = handles;
    if (known != null && known.type.isInstance(returned)) {
      return known;
    }
    ClassLoader loader = returned.getClass().getClassLoader();
    if (loader == notFoundIn) {
      return null;
    }
    Handles found = Handles.find(loader);
    if (found == null || !found.type.isInstance(returned)) {
      notFoundIn = loader;
      return null;
    }
    handles = found;
    return found;
  }

  /** The {@code StringMap} methods used, typed with {@code Object} for the map. */
  private record Handles(
      Class<?> type,
      MethodHandle containsKey,
      MethodHandle isFrozen,
      MethodHandle putValue,
      MethodHandle freeze,
      MethodHandle copy) {

    static Handles find(ClassLoader loader) {
      try {
        Class<?> type = Class.forName(STRING_MAP, false, loader);
        Class<?> readOnly = Class.forName(READ_ONLY, false, loader);
        Class<?> sorted = Class.forName(SORTED, false, loader);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        return new Handles(
            type,
            lookup
                .findVirtual(
                    readOnly, "containsKey", MethodType.methodType(boolean.class, String.class))
                .asType(MethodType.methodType(boolean.class, Object.class, String.class)),
            lookup
                .findVirtual(type, "isFrozen", MethodType.methodType(boolean.class))
                .asType(MethodType.methodType(boolean.class, Object.class)),
            lookup
                .findVirtual(
                    type, "putValue", MethodType.methodType(void.class, String.class, Object.class))
                .asType(
                    MethodType.methodType(void.class, Object.class, String.class, Object.class)),
            lookup
                .findVirtual(type, "freeze", MethodType.methodType(void.class))
                .asType(MethodType.methodType(void.class, Object.class)),
            lookup
                .findConstructor(sorted, MethodType.methodType(void.class, readOnly))
                .asType(MethodType.methodType(Object.class, Object.class)));
      } catch (ReflectiveOperationException | LinkageError | RuntimeException notLog4j) {
        return null;
      }
    }
  }
}
