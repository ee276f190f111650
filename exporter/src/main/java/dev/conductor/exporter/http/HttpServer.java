package dev.conductor.exporter.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's HTTP server (Netty, NIO transport only), serving a fixed set of GET endpoints on one
 * address. Its threads are daemons named {@code conductor-http-*}, so it never keeps the host's JVM
 * alive. Netty leaves room for what comes next on the same port: WebSocket push to the dashboard.
 */
public final class HttpServer implements AutoCloseable {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final Map<String, Endpoint> routes;
  private final Map<String, PathEndpoint> prefixRoutes;
  private final RequestObserver observer;
  private final EventLoopGroup group;
  private Channel channel;

  private HttpServer(
      Map<String, Endpoint> routes,
      Map<String, PathEndpoint> prefixRoutes,
      RequestObserver observer,
      String threadName) {
    this.routes = Map.copyOf(routes);
    this.prefixRoutes = Map.copyOf(prefixRoutes);
    this.observer = observer;
    this.group =
        new MultiThreadIoEventLoopGroup(
            2, new DefaultThreadFactory(threadName, true), NioIoHandler.newFactory());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds and starts serving; throws when the address cannot be bound (a port in use). */
  private HttpServer bind(String host, int port) throws InterruptedException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpContentCompressor())
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast(new RequestHandler(routes, prefixRoutes, observer));
                  }
                });
    try {
      channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully();
      throw e;
    } catch (Exception e) {
      // Netty rethrows checked socket exceptions (BindException) through sync().
      group.shutdownGracefully();
      throw new IllegalStateException(e.getMessage(), e);
    }
    return this;
  }

  /** The port actually bound: differs from the requested one when that was 0. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The address bound: the wildcard, or the one {@code metrics.api_host} names. */
  public java.net.InetAddress address() {
    return ((InetSocketAddress) channel.localAddress()).getAddress();
  }

  /**
   * Closes the listening socket and every connection now, waiting at most {@code maxMillis} for
   * them: the port is then free for another socket to bind.
   */
  public void closeNow(long maxMillis) {
    group
        .shutdownGracefully(0, maxMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(maxMillis);
  }

  public boolean isOpen() {
    return channel != null && channel.isActive();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close();
    }
    group.shutdownGracefully();
  }

  /** Routes by exact path, then by prefix. */
  public static final class Builder {
    private final Map<String, Endpoint> routes = new LinkedHashMap<>();
    private final Map<String, PathEndpoint> prefixRoutes = new LinkedHashMap<>();
    private String threadName = "conductor-http";
    private RequestObserver observer = RequestObserver.NONE;

    /** Receives every answered request, for the API metrics. */
    public Builder observer(RequestObserver requestObserver) {
      this.observer = requestObserver;
      return this;
    }

    public Builder route(String path, Endpoint endpoint) {
      routes.put(path, endpoint);
      return this;
    }

    /**
     * Serves every path that starts with {@code prefix} (which ends with a slash) and has something
     * after it.
     */
    public Builder routePrefix(String prefix, PathEndpoint endpoint) {
      if (!prefix.endsWith("/")) {
        throw new IllegalArgumentException("a prefix ends with '/': " + prefix);
      }
      prefixRoutes.put(prefix, endpoint);
      return this;
    }

    public Builder threadName(String name) {
      this.threadName = name;
      return this;
    }

    /**
     * Starts the server on {@code host:port}.
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    public HttpServer start(String host, int port) throws InterruptedException {
      return new HttpServer(routes, prefixRoutes, observer, threadName).bind(host, port);
    }
  }
}
