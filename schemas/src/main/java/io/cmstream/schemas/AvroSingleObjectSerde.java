package io.cmstream.schemas;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record class, in Avro single-object encoding: every message is
 * {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the
 * Avro binary body. No registry is needed: the reader looks the fingerprint up in a {@link
 * SchemaStore} of known writer schemas ({@link KnownSchemas#store()}) and resolves an older writer
 * schema to the current class.
 *
 * <p>Deserializing bytes that cannot be read throws {@link RecordDecodingException} (reason {@link
 * DlqReason#UNDECODABLE}) or its subclass {@link UnknownSchemaException} (reason {@link
 * DlqReason#UNKNOWN_SCHEMA}); so do bytes left over after the body. {@code null} stays {@code null}
 * both ways (tombstones). Thread-safe.
 */
public final class AvroSingleObjectSerde<T extends SpecificRecord> implements Serde<T> {

  private static final int HEADER_LENGTH = 10;

  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  /**
   * @param type the generated record class
   * @param writerSchemas the writer schemas to accept (the current schema of {@code type} is always
   *     accepted)
   */
  public AvroSingleObjectSerde(Class<T> type, SchemaStore writerSchemas) {
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, writerSchemas);
  }

  /** A serde that accepts every writer schema of {@link KnownSchemas}. */
  public static <T extends SpecificRecord> AvroSingleObjectSerde<T> of(Class<T> type) {
    return new AvroSingleObjectSerde<>(type, KnownSchemas.store());
  }

  /** The reader (current) schema. */
  public Schema schema() {
    return schema;
  }

  /** Encodes one record (single-object encoding with the current schema's fingerprint). */
  public byte[] encode(T record) {
    if (record == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + schema.getFullName(), e);
    }
  }

  /**
   * Decodes one message written with any known writer schema.
   *
   * @throws UnknownSchemaException if the fingerprint is not known
   * @throws RecordDecodingException if the bytes are not a readable single-object message
   */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    T record;
    try {
      record =
          decoder.decode(
              in, null); // a direct (unbuffered) decoder: what it leaves in `in` is unread
    } catch (MissingSchemaException e) {
      throw new UnknownSchemaException(fingerprintOf(bytes), schema.getFullName(), e);
    } catch (IOException | RuntimeException e) {
      throw new RecordDecodingException(
          DlqReason.UNDECODABLE,
          "cannot decode "
              + schema.getFullName()
              + " from "
              + bytes.length
              + " bytes: "
              + e.getMessage(),
          e);
    }
    if (in.available() > 0) {
      throw new RecordDecodingException(
          DlqReason.UNDECODABLE,
          in.available()
              + " trailing bytes after the "
              + schema.getFullName()
              + " body ("
              + bytes.length
              + " bytes in all): not one single-object message",
          null);
    }
    return record;
  }

  /** The writer-schema fingerprint in a single-object message's header. */
  static long fingerprintOf(byte[] message) {
    if (message.length < HEADER_LENGTH) {
      throw new IllegalArgumentException("message shorter than a single-object header");
    }
    return ByteBuffer.wrap(message, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> encode(record);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}
