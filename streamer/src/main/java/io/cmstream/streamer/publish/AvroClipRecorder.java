package io.cmstream.streamer.publish;

import io.cmstream.schemas.avro.ClipRecord;
import io.cmstream.streamer.clip.Clip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Records clip records to an Avro container file (schema {@link ClipRecord}, one block per
 * clip, no compression: the frames are JPEG already): the stream file {@code detector replay}
 * reads. Written to a temporary file beside the target and moved into place on close, so a
 * crash never leaves a truncated recording under the final name.
 */
public final class AvroClipRecorder implements ClipSink {
  private final String streamId;
  private final Path out;
  private final Path partial;
  private final DataFileWriter<ClipRecord> writer;
  private long position;
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
      writer = new DataFileWriter<>(new SpecificDatumWriter<>(ClipRecord.class));
      writer.setCodec(CodecFactory.nullCodec());
      writer.setMeta("cm.streamId", streamId);
      writer.create(ClipRecord.getClassSchema(), partial.toFile());
      position = writer.sync();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write recording " + out + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long accept(Clip clip) {
    try {
      writer.append(ClipRecords.toAvro(streamId, clip));
      long now = writer.sync();
      long bytes = now - position;
      position = now;
      records++;
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write recording " + out + ": " + e.getMessage(), e);
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
