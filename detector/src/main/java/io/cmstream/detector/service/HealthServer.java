package io.cmstream.detector.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The service's HTTP endpoint (JDK HttpServer): {@code GET /health} answers 200 with the streams
 * client state while it is RUNNING or REBALANCING, 503 otherwise; {@code GET /metrics} is the
 * Prometheus scrape of every meter (detector, Kafka Streams, JVM). Both are read-only.
 */
public final class HealthServer implements AutoCloseable {

  /**
   * Every interface: liveness/readiness probes and the Prometheus scrape reach a pod or a container
   * through its network interface, not its loopback. On a shared host, bind 127.0.0.1 (or one
   * interface's address) instead.
   */
  public static final String DEFAULT_HOST = "0.0.0.0";

  private final HttpServer server;

  /**
   * @param host address or name of the interface to listen on ({@link #DEFAULT_HOST} = all)
   * @param port port (0 = any free one)
   */
  public HealthServer(
      String host, int port, Supplier<KafkaStreams.State> state, PrometheusMeterRegistry registry)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "HTTP host '" + host + "' does not resolve to an address of this machine");
    }
    try {
      server = HttpServer.create(address, 0);
    } catch (java.net.BindException e) {
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")", e);
    }
    server.createContext(
        "/health",
        exchange -> {
          KafkaStreams.State s = state.get();
          boolean up = s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
          respond(
              exchange,
              up ? 200 : 503,
              "application/json",
              "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + s + "\"}\n");
        });
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.start();
  }

  /** The address it listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The port it listens on (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
