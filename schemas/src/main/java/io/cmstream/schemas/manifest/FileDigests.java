package io.cmstream.schemas.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** SHA-256 of files, as lower-case hex. */
public final class FileDigests {

  private FileDigests() {}

  /** The sha256 of one file. */
  public static String sha256(Path file) {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The sha256 of every regular file under {@code folder} (recursively) except its top-level {@code
   * manifest.json}, by relative path with '/' separators, sorted.
   */
  public static Map<String, String> ofBundle(Path folder) {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.filter(Files::isRegularFile)
          .forEach(
              file -> {
                String relative =
                    folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                if (!relative.equals(ModelManifest.FILE_NAME)) {
                  digests.put(relative, sha256(file));
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    return digests;
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
