package dev.conductor.instrumentation;

import dev.conductor.instrumentation.expression.ExpressionException;
import dev.conductor.instrumentation.expression.LabelExpression;
import java.util.List;

/**
 * An HTTP server dispatch method that the agent times with no config at all: one call is one
 * request. The labels read the method ({@code taskType}), the path ({@code taskId}) and the status
 * code ({@code status}) from the request and response arguments.
 */
public record ApiPoint(String name, String type, String method, PointLabels labels) {

  /** The servers every host gets: the JDK's HTTP server and servlets (javax and jakarta). */
  public static List<ApiPoint> builtIn() {
    return List.of(
        // The JDK server runs every exchange through a Filter.Chain, lambdas handlers included.
        point(
            "jdk-httpserver",
            "com.sun.net.httpserver.Filter$Chain",
            "doFilter",
            "arg0.getRequestMethod()",
            "arg0.getRequestURI().getPath()",
            "arg0.getResponseCode()"),
        point(
            "servlet-javax",
            "javax.servlet.http.HttpServlet",
            "service",
            "arg0.getMethod()",
            "arg0.getRequestURI()",
            "arg1.getStatus()"),
        point(
            "servlet-jakarta",
            "jakarta.servlet.http.HttpServlet",
            "service",
            "arg0.getMethod()",
            "arg0.getRequestURI()",
            "arg1.getStatus()"));
  }

  private static ApiPoint point(
      String name, String type, String method, String httpMethod, String path, String status) {
    try {
      return new ApiPoint(
          name,
          type,
          method,
          new PointLabels(
              null,
              LabelExpression.parse(httpMethod),
              LabelExpression.parse(path),
              null,
              null,
              LabelExpression.parse(status)));
    } catch (ExpressionException e) {
      throw new IllegalStateException(e);
    }
  }
}
