package com.example.libraryhost;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * A servlet application on embedded Tomcat that knows nothing of monitoring. {@code GET /items/{n}}
 * answers 200 for even n and 404 for odd n; {@code POST /items} answers 201.
 *
 * <p>Usage: {@code ServletHost PORT}; prints {@code ready} when it serves.
 */
public final class ServletHost {
  private ServletHost() {}

  @SuppressWarnings("deprecation") // addServletMappingDecoded: the embedded-Tomcat way to map
  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("servlet-host").toString());
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

  /** The host's servlet. */
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
