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
 * The service's HTTP endpoint (JDK HttpServer): {@code GET /health} answers 200 with the
 * streams client state while it is RUNNING or REBALANCING, 503 otherwise; {@code GET /metrics}
 * is the Prometheus scrape of every meter (detector, Kafka Streams, JVM).
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  public HealthServer(int port, Supplier<KafkaStreams.State> state, PrometheusMeterRegistry registry) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/health", exchange -> {
      KafkaStreams.State s = state.get();
      boolean up = s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
      respond(exchange, up ? 200 : 503, "application/json",
          "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + s + "\"}\n");
    });
    server.createContext("/metrics", exchange ->
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.start();
  }

  /** The port it listens on (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
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
