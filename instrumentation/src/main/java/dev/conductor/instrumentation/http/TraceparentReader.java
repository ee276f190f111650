package dev.conductor.instrumentation.http;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the W3C {@code traceparent} header of a request of the host's HTTP server: a {@code
 * com.sun.net.httpserver.HttpExchange} ({@code getRequestHeaders().getFirst(..)}) or a javax or
 * jakarta {@code HttpServletRequest} ({@code getHeader(..)}). Headers only: the body is never
 * touched.
 *
 * <p>The agent's loader sees neither the servlet API nor, necessarily, the server's classes, so the
 * methods are found from the request object's own class: through its public supertype of the known
 * name that declares them, as the server's own callers would call them (the runtime class may live
 * in a package its module does not export). Resolved once per runtime class ({@link ClassValue},
 * which goes with the class when it is unloaded); after that a read is one {@code invokeExact}.
 *
 * <p>Called on host threads, once per request; never throws.
 */
public final class TraceparentReader implements Function<Object, String> {
  static final String HEADER = "traceparent";

  private static final MethodType READER_TYPE = MethodType.methodType(String.class, Object.class);

  private static final String EXCHANGE = "com.sun.net.httpserver.HttpExchange";
  private static final List<String> SERVLET_REQUESTS =
      List.of("jakarta.servlet.http.HttpServletRequest", "javax.servlet.http.HttpServletRequest");

  private final ClassValue<MethodHandle> readers =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          return resolve(type);
        }
      };

  @Override
  public String apply(Object request) {
    try {
      return (String) readers.get(request.getClass()).invokeExact(request);
    } catch (Throwable e) {
      return null; // whatever the server's method threw: no context, the request goes on
    }
  }

  /** A handle {@code (Object)String} reading the header from instances of {@code type}. */
  static MethodHandle resolve(Class<?> type) {
    for (Class<?> supertype : publicSupertypes(type)) {
      try {
        if (supertype.getName().equals(EXCHANGE)) {
          return exchangeReader(supertype);
        }
        if (SERVLET_REQUESTS.contains(supertype.getName())) {
          return servletReader(supertype);
        }
      } catch (ReflectiveOperationException | RuntimeException notUsable) {
        return None.READER;
      }
    }
    return None.READER;
  }

  /**
   * The reader of requests of no known server. Built on first use, on a request's thread, rather
   * than when the agent installs, on the host's startup path.
   */
  private static final class None {
    static final MethodHandle READER =
        MethodHandles.dropArguments(MethodHandles.constant(String.class, null), 0, Object.class);
  }

  /** {@code exchange.getRequestHeaders().getFirst("traceparent")}. */
  private static MethodHandle exchangeReader(Class<?> exchange)
      throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    Method getHeaders = exchange.getMethod("getRequestHeaders");
    Method getFirst = getHeaders.getReturnType().getMethod("getFirst", String.class);
    MethodHandle first = MethodHandles.insertArguments(lookup.unreflect(getFirst), 1, HEADER);
    return MethodHandles.filterReturnValue(lookup.unreflect(getHeaders), first).asType(READER_TYPE);
  }

  /** {@code request.getHeader("traceparent")}. */
  private static MethodHandle servletReader(Class<?> request) throws ReflectiveOperationException {
    Method getHeader = request.getMethod("getHeader", String.class);
    return MethodHandles.insertArguments(
            MethodHandles.publicLookup().unreflect(getHeader), 1, HEADER)
        .asType(READER_TYPE);
  }

  /** The class, its superclasses and all their interfaces that are public and exported. */
  private static List<Class<?>> publicSupertypes(Class<?> type) {
    List<Class<?>> all = new ArrayList<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      all.add(c);
      collectInterfaces(c, all);
    }
    all.removeIf(
        c -> !Modifier.isPublic(c.getModifiers()) || !c.getModule().isExported(c.getPackageName()));
    return all;
  }

  private static void collectInterfaces(Class<?> type, List<Class<?>> into) {
    for (Class<?> anInterface : type.getInterfaces()) {
      into.add(anInterface);
      collectInterfaces(anInterface, into);
    }
  }
}
