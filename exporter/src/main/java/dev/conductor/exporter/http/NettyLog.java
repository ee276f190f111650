package dev.conductor.exporter.http;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.function.Consumer;

/**
 * The bundled Netty's log, routed to the agent's: its warnings and errors become agent warnings,
 * the rest is dropped.
 *
 * <p>Why: finding no SLF4J or Log4j of its own, Netty logs through {@code java.util.logging}, and
 * so initialized the host's {@code LogManager} from the agent's start thread. A host that names its
 * own log manager ({@code java.util.logging.manager}, as JBoss and WildFly applications do) when
 * its {@code main} starts would then get the JDK's instead.
 */
public final class NettyLog extends InternalLoggerFactory {
  private final Consumer<String> warnings;

  private NettyLog(Consumer<String> warnings) {
    this.warnings = warnings;
  }

  /** Before Netty's first class that logs is initialized; the last call wins. */
  public static void install(Consumer<String> warnings) {
    InternalLoggerFactory.setDefaultFactory(new NettyLog(warnings));
  }

  @Override
  protected InternalLogger newInstance(String name) {
    return new Logger(name, warnings);
  }

  /** {@code format} with each {@code {}} replaced by the next argument, as Netty writes them. */
  static String format(String format, Object... arguments) {
    if (format == null) {
      return "null";
    }
    StringBuilder text = new StringBuilder(format.length() + 32);
    int from = 0;
    for (Object argument : arguments) {
      int at = format.indexOf("{}", from);
      if (at < 0) {
        break;
      }
      text.append(format, from, at).append(argument);
      from = at + 2;
    }
    return text.append(format, from, format.length()).toString();
  }

  private static final class Logger extends AbstractInternalLogger {
    private static final long serialVersionUID = 1L;

    private final transient Consumer<String> warnings;

    Logger(String name, Consumer<String> warnings) {
      super(name);
      this.warnings = warnings;
    }

    /** Netty's convention: a throwable after the placeholders' arguments is what went wrong. */
    private static Throwable thrownLast(Object[] arguments) {
      return arguments.length > 0 && arguments[arguments.length - 1] instanceof Throwable thrown
          ? thrown
          : null;
    }

    private void report(String message, Throwable thrown) {
      warnings.accept("netty: " + message + (thrown == null ? "" : " (" + thrown + ")"));
    }

    // Warnings and errors are reported.

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public void warn(String message) {
      report(message, null);
    }

    @Override
    public void warn(String format, Object argument) {
      report(format(format, argument), null);
    }

    @Override
    public void warn(String format, Object... arguments) {
      report(format(format, arguments), thrownLast(arguments));
    }

    @Override
    public void warn(String format, Object first, Object second) {
      report(format(format, first, second), null);
    }

    @Override
    public void warn(String message, Throwable thrown) {
      report(message, thrown);
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public void error(String message) {
      report(message, null);
    }

    @Override
    public void error(String format, Object argument) {
      report(format(format, argument), null);
    }

    @Override
    public void error(String format, Object first, Object second) {
      report(format(format, first, second), null);
    }

    @Override
    public void error(String format, Object... arguments) {
      report(format(format, arguments), thrownLast(arguments));
    }

    @Override
    public void error(String message, Throwable thrown) {
      report(message, thrown);
    }

    // Trace, debug and info are dropped.

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public void trace(String message) {}

    @Override
    public void trace(String format, Object argument) {}

    @Override
    public void trace(String format, Object first, Object second) {}

    @Override
    public void trace(String format, Object... arguments) {}

    @Override
    public void trace(String message, Throwable thrown) {}

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public void debug(String message) {}

    @Override
    public void debug(String format, Object argument) {}

    @Override
    public void debug(String format, Object first, Object second) {}

    @Override
    public void debug(String format, Object... arguments) {}

    @Override
    public void debug(String message, Throwable thrown) {}

    @Override
    public boolean isInfoEnabled() {
      return false;
    }

    @Override
    public void info(String message) {}

    @Override
    public void info(String format, Object argument) {}

    @Override
    public void info(String format, Object first, Object second) {}

    @Override
    public void info(String format, Object... arguments) {}

    @Override
    public void info(String message, Throwable thrown) {}
  }
}
