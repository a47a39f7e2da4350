package io.cmstream.schemas;

import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.schemas.avro.DetectionRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every writer schema a reader of our topics may meet: the current schemas of the generated classes
 * plus the superseded versions kept as resources under {@code io/cmstream/schemas/history/} (listed
 * in its {@code INDEX} file).
 *
 * <p>When a record schema changes, copy the old {@code .avsc} into that folder and add its file
 * name to {@code INDEX}: records already in the topics stay readable (Avro schema resolution turns
 * them into the new shape, filling defaults).
 */
public final class KnownSchemas {

  private static final String HISTORY = "/io/cmstream/schemas/history/";

  private KnownSchemas() {}

  /** The current schemas of every topic record. */
  public static List<Schema> current() {
    return List.of(ClipRecord.getClassSchema(), DetectionRecord.getClassSchema());
  }

  /** The superseded writer schemas kept as resources, oldest first. */
  public static List<Schema> history() {
    List<Schema> schemas = new ArrayList<>();
    for (String file : historyIndex()) {
      try (InputStream in = KnownSchemas.class.getResourceAsStream(HISTORY + file)) {
        if (in == null) {
          throw new IllegalStateException(
              "schema history lists " + file + " but it is not on the classpath");
        }
        schemas.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema " + file, e);
      }
    }
    return schemas;
  }

  /** A fresh store holding every known writer schema (current and history), by fingerprint. */
  public static SchemaStore.Cache store() {
    SchemaStore.Cache cache = new SchemaStore.Cache();
    current().forEach(cache::addSchema);
    history().forEach(cache::addSchema);
    return cache;
  }

  /** The 64-bit CRC-64-AVRO fingerprint single-object encoding puts in each message. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  private static List<String> historyIndex() {
    try (InputStream in = KnownSchemas.class.getResourceAsStream(HISTORY + "INDEX")) {
      if (in == null) {
        return List.of();
      }
      List<String> files = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          files.add(name);
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the schema history index", e);
    }
  }
}
