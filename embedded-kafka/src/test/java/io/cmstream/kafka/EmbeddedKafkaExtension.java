package io.cmstream.kafka;

import java.util.function.IntFunction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EmbeddedKafkaBroker} for all tests of a class: started before the first, closed (its
 * folder removed) after the last. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.plaintext();
 * }</pre>
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
  private final IntFunction<EmbeddedKafkaBroker> starter;
  private EmbeddedKafkaBroker broker;

  private EmbeddedKafkaExtension(IntFunction<EmbeddedKafkaBroker> starter) {
    this.starter = starter;
  }

  /** A PLAINTEXT broker on a free port. */
  public static EmbeddedKafkaExtension plaintext() {
    return new EmbeddedKafkaExtension(EmbeddedKafkaBroker::start);
  }

  /** A broker that only speaks SASL/PLAIN, ACLs on ({@link EmbeddedKafkaBroker#startSaslPlain}). */
  public static EmbeddedKafkaExtension saslPlain() {
    return new EmbeddedKafkaExtension(EmbeddedKafkaBroker::startSaslPlain);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = starter.apply(0);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /** The running broker. */
  public EmbeddedKafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException("the broker runs between beforeAll and afterAll only");
    }
    return broker;
  }

  /** The running broker's bootstrap servers. */
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }
}
