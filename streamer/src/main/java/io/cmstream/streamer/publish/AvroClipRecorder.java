package io.cmstream.streamer.publish;

import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.streamer.clip.Clip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Records clip records to an Avro container file (schema {@link ClipRecord}, one block per clip, no
 * compression: the frames are JPEG already): the stream file {@code detector replay} reads. Written
 * to a temporary file beside the target and moved into place on close, so a crash never leaves a
 * truncated recording under the final name. A file is not live, so each clip is written when the
 * next one comes: the end-of-stream repeat of the last clip then only sets the flag on it, and a
 * recording holds one record per second, the last one flagged.
 */
public final class AvroClipRecorder implements ClipSink {
  private final String streamId;
  private final Path out;
  private final Path partial;
  private final DataFileWriter<ClipRecord> writer;
  private final SpecificDatumWriter<ClipRecord> datum = new SpecificDatumWriter<>(ClipRecord.class);
  private ByteBuffer held;
  private int records;

  public AvroClipRecorder(Path out, String streamId) {
    this.streamId = streamId;
    this.out = out.toAbsolutePath();
    this.partial = this.out.resolveSibling(this.out.getFileName() + ".partial");
    try {
      Path dir = this.out.getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      writer = new DataFileWriter<>(datum);
      writer.setCodec(CodecFactory.nullCodec());
      writer.setMeta("cm.streamId", streamId);
      writer.create(ClipRecord.getClassSchema(), partial.toFile());
      writer.sync();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write recording " + out + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long accept(Clip clip) {
    try {
      if (clip.endOfStream() && held == null) {
        throw new IllegalStateException(
            "end of stream of second " + clip.second() + " without a clip before it");
      }
      ByteBuffer encoded = encode(clip);
      if (!clip.endOfStream()) {
        writeHeld();
      }
      held = encoded;
      if (clip.endOfStream()) {
        writeHeld();
      }
      return encoded.remaining();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write recording " + out + ": " + e.getMessage(), e);
    }
  }

  private ByteBuffer encode(Clip clip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    datum.write(ClipRecords.toAvro(streamId, clip), encoder);
    encoder.flush();
    return ByteBuffer.wrap(bytes.toByteArray());
  }

  private void writeHeld() throws IOException {
    if (held != null) {
      writer.appendEncoded(held);
      writer.sync();
      held = null;
      records++;
    }
  }

  @Override
  public int skipped() {
    return 0;
  }

  @Override
  public int written() {
    return records;
  }

  @Override
  public void close() {
    try {
      writeHeld();
      writer.close();
      if (records == 0) {
        Files.deleteIfExists(partial); // nothing to replay: no file rather than an empty one
      } else {
        Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish recording " + out + ": " + e.getMessage(), e);
    }
  }
}
