package dev.conductor.exporter.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dispatches one decoded request to its endpoint and writes the answer. A malformed request, an
 * unknown path, a method other than GET/HEAD or an endpoint that throws each get a JSON error with
 * the matching status code; nothing here can take the server down.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String UNMATCHED = "unmatched";

  private final Map<String, Endpoint> routes;
  private final Map<String, PathEndpoint> prefixRoutes;
  private final RequestObserver observer;

  RequestHandler(
      Map<String, Endpoint> routes,
      Map<String, PathEndpoint> prefixRoutes,
      RequestObserver observer) {
    this.routes = routes;
    this.prefixRoutes = prefixRoutes;
    this.observer = observer;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    long start = System.nanoTime();
    Response response = answer(request);
    observe(request, response, start);
    boolean head = HttpMethod.HEAD.equals(request.method());
    FullHttpResponse http =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
    http.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
        .set(HttpHeaderNames.CONTENT_LENGTH, head ? 0 : response.body().length)
        .set("X-Content-Type-Options", "nosniff");
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    if (keepAlive) {
      http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(http);
    } else {
      http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private Response answer(FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      return Response.error(400, "bad_request", "the request could not be parsed");
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    Endpoint endpoint = routes.get(uri.path());
    String prefix = endpoint == null ? prefixOf(uri.path()) : null;
    if (endpoint == null && prefix == null) {
      return Response.error(404, "not_found", "no endpoint at " + uri.path());
    }
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
      return Response.error(405, "method_not_allowed", "only GET is served here");
    }
    try {
      Map<String, String> query = firstValues(uri.parameters());
      return endpoint != null
          ? endpoint.handle(headers(request), query)
          : prefixRoutes
              .get(prefix)
              .handle(uri.path().substring(prefix.length()), headers(request), query);
    } catch (IllegalArgumentException e) {
      return Response.error(400, "bad_request", e.getMessage());
    } catch (Exception e) {
      return Response.error(500, "internal_error", e.getClass().getSimpleName());
    }
  }

  private void observe(FullHttpRequest request, Response response, long start) {
    String path = new QueryStringDecoder(request.uri()).path();
    String prefix = prefixOf(path);
    String endpoint =
        routes.containsKey(path) ? path : prefix != null ? prefix + "{id}" : UNMATCHED;
    try {
      observer.observe(
          request.method().name(),
          endpoint,
          Integer.toString(response.status()),
          System.nanoTime() - start);
    } catch (RuntimeException e) {
      // metrics about the agent's own API must never cost the answer
    }
  }

  /** The longest prefix route that {@code path} is under, with something after it; or null. */
  private String prefixOf(String path) {
    String best = null;
    for (String prefix : prefixRoutes.keySet()) {
      if (path.length() > prefix.length()
          && path.startsWith(prefix)
          && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best;
  }

  private static Map<String, String> headers(FullHttpRequest request) {
    Map<String, String> headers = new HashMap<>();
    request
        .headers()
        .forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    return headers;
  }

  private static Map<String, String> firstValues(Map<String, List<String>> parameters) {
    Map<String, String> first = new HashMap<>();
    parameters.forEach((name, values) -> first.put(name, values.isEmpty() ? "" : values.get(0)));
    return first;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset connection or garbage on the wire: drop this connection only.
    ctx.close();
  }
}
