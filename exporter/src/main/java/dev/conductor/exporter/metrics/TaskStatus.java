package dev.conductor.exporter.metrics;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code status} label: success, failed, timeout, partial or cancelled.
 *
 * <p>A thrown exception is always {@code failed}; a call without a status expression that returns
 * normally is {@code success}; common spellings of the five (an enum {@code COMPLETED}, the string
 * {@code "error"}, {@code "canceled"}) are folded onto them. Other values are kept so that an
 * unexpected status stays visible, but only the first {@value #MAX_UNEXPECTED} distinct ones: the
 * status label is exempt from the per-metric series cap (it is meant to be one of five), so any
 * further value is {@code other}.
 */
public final class TaskStatus {
  public static final String SUCCESS = "success";
  public static final String FAILED = "failed";

  /** Each in lower case and in upper case, the usual spelling of an enum constant. */
  private static final Map<String, String> SPELLINGS =
      withUpperCase(
          Map.ofEntries(
              Map.entry("success", SUCCESS),
              Map.entry("succeeded", SUCCESS),
              Map.entry("successful", SUCCESS),
              Map.entry("ok", SUCCESS),
              Map.entry("completed", SUCCESS),
              Map.entry("done", SUCCESS),
              Map.entry("failed", FAILED),
              Map.entry("failure", FAILED),
              Map.entry("fail", FAILED),
              Map.entry("error", FAILED),
              Map.entry("timeout", "timeout"),
              Map.entry("timed_out", "timeout"),
              Map.entry("timedout", "timeout"),
              Map.entry("partial", "partial"),
              Map.entry("partial_success", "partial"),
              Map.entry("cancelled", "cancelled"),
              Map.entry("canceled", "cancelled")));

  static final int MAX_UNEXPECTED = 16;
  static final String OTHER = "other";

  /** Unexpected values kept so far; the exporter thread's only, but tests call from theirs. */
  private static final Set<String> UNEXPECTED = ConcurrentHashMap.newKeySet();

  private TaskStatus() {}

  /**
   * @param captured the status expression's value, or null when there is none
   * @param thrown whether the call threw
   * @param labels bounds any unexpected value
   */
  public static String of(Object captured, boolean thrown, LabelValues labels) {
    if (thrown) {
      return FAILED;
    }
    if (captured == null) {
      return SUCCESS;
    }
    if (captured instanceof Boolean ok) {
      return ok ? SUCCESS : FAILED;
    }
    String text = labels.of(captured);
    // As it is first: that finds "success" and an enum's COMPLETED without a lower-case copy.
    String known = SPELLINGS.get(text);
    if (known == null) {
      known = SPELLINGS.get(text.toLowerCase(Locale.ROOT));
    }
    return known != null ? known : unexpected(text);
  }

  private static String unexpected(String text) {
    if (UNEXPECTED.contains(text)) {
      return text;
    }
    if (UNEXPECTED.size() < MAX_UNEXPECTED) {
      UNEXPECTED.add(text);
      return text;
    }
    return OTHER;
  }

  private static Map<String, String> withUpperCase(Map<String, String> lowerCase) {
    Map<String, String> both = new HashMap<>(lowerCase);
    lowerCase.forEach((spelling, status) -> both.put(spelling.toUpperCase(Locale.ROOT), status));
    return Map.copyOf(both);
  }
}
