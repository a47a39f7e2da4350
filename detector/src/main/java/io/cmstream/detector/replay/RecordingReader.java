package io.cmstream.detector.replay;

import io.cmstream.schemas.avro.ClipRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads recorded streams: Avro container files of {@link ClipRecord} (the format the streamer
 * records). The writer schema in each file's header is resolved to the current record, so
 * recordings made with an older schema stay readable.
 */
public final class RecordingReader {

  private RecordingReader() {}

  /** The recording files named: files as given, folders expanded to their *.avro files (sorted). */
  public static List<Path> expand(List<Path> inputs) {
    List<Path> files = new ArrayList<>();
    for (Path in : inputs) {
      if (Files.isDirectory(in)) {
        try (Stream<Path> s = Files.list(in)) {
          s.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + in, e);
        }
      } else if (Files.isRegularFile(in)) {
        files.add(in);
      } else {
        throw new IllegalArgumentException("recording " + in + " does not exist");
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no recordings (*.avro) in " + inputs);
    }
    return files;
  }

  /** A visitor of clip records. */
  @FunctionalInterface
  public interface ClipSink {
    void accept(ClipRecord clip);
  }

  /**
   * Reads every clip of one recording in file order; {@code bytesRead} hears the position in the
   * file after each block (for progress).
   */
  public static void read(Path file, ClipSink sink, LongConsumer bytesRead) {
    try (DataFileReader<ClipRecord> reader =
        new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ClipRecord.class))) {
      ClipRecord reuse = null;
      while (reader.hasNext()) {
        reuse = reader.next(null);
        sink.accept(reuse);
        bytesRead.accept(reader.previousSync());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read recording " + file + ": " + e.getMessage(), e);
    }
  }

  /** All clips of the recordings, in file order. */
  public static List<ClipRecord> readAll(List<Path> files) {
    List<ClipRecord> all = new ArrayList<>();
    for (Path f : files) {
      read(f, all::add, b -> {});
    }
    return all;
  }
}
