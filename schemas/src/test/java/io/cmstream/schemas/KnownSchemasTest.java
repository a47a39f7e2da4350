package io.cmstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

class KnownSchemasTest {

  @Test
  void shouldReadEveryHistoricalWriterSchemaWithTheCurrentSchemaOfItsRecord() {
    List<Schema> history = KnownSchemas.history();
    assertFalse(history.isEmpty(), "the v1 clip schema is kept");
    for (Schema old : history) {
      Schema current =
          KnownSchemas.current().stream()
              .filter(s -> s.getFullName().equals(old.getFullName()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no current schema for " + old.getFullName()));
      SchemaCompatibility.SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(current, old);
      assertEquals(
          SchemaCompatibilityType.COMPATIBLE,
          result.getType(),
          old.getFullName() + ": " + result.getDescription());
    }
  }

  @Test
  void shouldGiveEveryKnownSchemaItsOwnFingerprint() {
    Set<Long> fingerprints = new HashSet<>();
    int count = 0;
    for (Schema s : KnownSchemas.current()) {
      fingerprints.add(KnownSchemas.fingerprint(s));
      count++;
    }
    for (Schema s : KnownSchemas.history()) {
      fingerprints.add(KnownSchemas.fingerprint(s));
      count++;
    }
    assertEquals(count, fingerprints.size());
  }
}
