package com.example.javaxhost;

import java.io.IOException;
import java.nio.file.Files;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The servlet application of library-host's {@code ServletHost} on the older servlet API: embedded
 * Tomcat 9 and {@code javax.servlet}. {@code GET /items/{n}} answers 200 for even n and 404 for odd
 * n; {@code POST /items} answers 201.
 *
 * <p>Usage: {@code JavaxServletHost PORT}; prints {@code ready} when it serves.
 */
public final class JavaxServletHost {
  private JavaxServletHost() {}

  @SuppressWarnings("deprecation") // addServletMappingDecoded: the embedded-Tomcat way to map
  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("javax-host").toString());
    tomcat.setPort(Integer.parseInt(args[0]));
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "items", new ItemsServlet());
    context.addServletMappingDecoded("/items/*", "items");
    tomcat.start();
    System.out.println("ready");
    System.out.flush();
    tomcat.getServer().await();
  }

  /** The host's servlet, a javax one. */
  static final class ItemsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String path = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
      int id;
      try {
        id = Integer.parseInt(path);
      } catch (NumberFormatException e) {
        response.sendError(400);
        return;
      }
      if (id % 2 == 0) {
        response.setContentType("text/plain");
        response.getWriter().write("item " + id);
      } else {
        response.sendError(404);
      }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
      response.setStatus(201);
    }
  }
}
