package io.cmstream.detector.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** The HTTP endpoint listens where it is told: one interface, or all of them by default. */
class HealthServerTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void shouldListenOnlyOnTheLoopbackWhenToldSo() throws Exception {
    try (HealthServer http =
        new HealthServer("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, registry)) {
      assertEquals(InetAddress.getByName("127.0.0.1"), http.address().getAddress());
      assertEquals(200, get("127.0.0.1", http.port()).statusCode());
      Optional<InetAddress> other = nonLoopbackAddress();
      if (other.isPresent()) { // a machine with a network interface: that one must refuse
        assertThrows(ConnectException.class, () -> connect(other.get(), http.port()));
      }
    }
  }

  @Test
  void shouldListenOnEveryInterfaceByDefault() throws Exception {
    try (HealthServer http =
        new HealthServer(
            HealthServer.DEFAULT_HOST, 0, () -> KafkaStreams.State.REBALANCING, registry)) {
      assertTrue(http.address().getAddress().isAnyLocalAddress(), http.address().toString());
      HttpResponse<String> health = get("127.0.0.1", http.port());
      assertEquals(200, health.statusCode());
      assertTrue(health.body().contains("REBALANCING"), health.body());
      Optional<InetAddress> other = nonLoopbackAddress();
      if (other.isPresent()) {
        connect(other.get(), http.port()); // accepted
      }
    }
  }

  @Test
  void shouldRefuseAHostThatIsNotAnAddressOfThisMachine() throws IOException {
    IllegalArgumentException unresolved =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new HealthServer(
                    "no-such-host.invalid", 0, () -> KafkaStreams.State.RUNNING, registry));
    assertTrue(unresolved.getMessage().contains("no-such-host.invalid"), unresolved.getMessage());
    // a documentation address (RFC 5737): an address, but no interface here has it
    String foreignHost = "203.0.113.77";
    assertNull(
        NetworkInterface.getByInetAddress(InetAddress.getByName(foreignHost)),
        "precondition: not local");
    IllegalStateException foreign =
        assertThrows(
            IllegalStateException.class,
            () -> new HealthServer(foreignHost, 0, () -> KafkaStreams.State.RUNNING, registry));
    assertTrue(
        foreign.getMessage().startsWith("cannot listen on " + foreignHost + ":0"),
        foreign.getMessage());
  }

  private static HttpResponse<String> get(String host, int port)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2000);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (n.isUp() && !n.isLoopback()) {
        for (InetAddress a : Collections.list(n.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return Optional.of(a);
          }
        }
      }
    }
    return Optional.empty();
  }
}
