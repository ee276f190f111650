package dev.conductor.exporter.api;

import java.util.regex.Pattern;

/**
 * Turns a raw request path into a bounded endpoint name: query dropped, IDs and numbers folded.
 * {@code /tasks/task-93?x=1} and {@code /tasks/task-94} are both {@code /tasks/{id}}, so a host
 * that puts IDs in URLs cannot grow the number of series.
 *
 * <p>A segment is folded when it holds a digit (numbers, {@code task-93}, UUIDs, hashes) or is very
 * long; everything else is kept as written.
 */
public final class EndpointNames {
  private static final Pattern DIGIT = Pattern.compile(".*\\d.*");
  private static final Pattern API_VERSION = Pattern.compile("v\\d{1,2}");
  private static final int MAX_SEGMENT = 40;
  private static final int MAX_SEGMENTS = 8;

  private EndpointNames() {}

  public static String of(Object rawPath) {
    if (rawPath == null) {
      return "unknown";
    }
    String path = String.valueOf(rawPath);
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.isEmpty() || path.equals("/")) {
      return "/";
    }
    StringBuilder name = new StringBuilder();
    String[] segments = path.split("/");
    int kept = 0;
    for (String segment : segments) {
      if (segment.isEmpty()) {
        continue;
      }
      if (++kept > MAX_SEGMENTS) {
        name.append("/...");
        break;
      }
      name.append('/');
      name.append(folds(segment) ? "{id}" : segment);
    }
    if (path.endsWith("/") && kept <= MAX_SEGMENTS) {
      name.append('/');
    }
    return name.toString();
  }

  private static boolean folds(String segment) {
    if (segment.length() > MAX_SEGMENT) {
      return true;
    }
    return DIGIT.matcher(segment).matches() && !API_VERSION.matcher(segment).matches();
  }
}
