package io.cmstream.trainer.importer;

import io.cmstream.trainer.importer.PickleTypes.StorageRef;
import io.cmstream.trainer.importer.PickleTypes.StorageType;
import io.cmstream.trainer.importer.PickleTypes.TensorRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * A PyTorch {@code torch.save} file, in the zip format (PyTorch 1.6 and later: {@code
 * ARCHIVE/data.pkl}, the pickled object with each storage a persistent id {@code ('storage', type,
 * key, location, numel)}, and {@code ARCHIVE/data/KEY}, the raw little-endian storages) or in the
 * legacy format of older PyTorch (model zoo files from before 1.6: pickles of the magic number,
 * protocol version and system info, the object, the sorted storage keys, then each storage as an
 * int64 element count and its bytes; {@code torch/serialization.py}'s {@code _legacy_save}). Reads
 * the state dict under one top-level key ({@code model_state} for PySlowFast).
 */
public final class TorchCheckpoint {
  private TorchCheckpoint() {}

  /**
   * @param stateKey the top-level key of the state dict; if absent and the file is itself a dict of
   *     tensors, that dict
   * @return arrays by name, in the file's order
   */
  public static Map<String, WeightArray> readStateDict(Path file, String stateKey) {
    PickleTypes.register();
    if (!isZip(file)) {
      return readLegacy(file, stateKey);
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry pkl =
          zip.stream()
              .filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new SourceFormatException(
                          file + " is a zip without data.pkl: not a PyTorch checkpoint"));
      String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
      Object root;
      try (InputStream in = zip.getInputStream(pkl)) {
        root = new StorageUnpickler().load(in);
      }
      Map<?, ?> state = stateDict(root, stateKey, file);
      Map<String, float[]> storages = new HashMap<>();
      Map<String, WeightArray> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : state.entrySet()) {
        if (!(e.getValue() instanceof TensorRef t)) {
          throw new SourceFormatException(
              file + ": '" + stateKey + "." + e.getKey() + "' is not a tensor");
        }
        float[] values =
            storages.computeIfAbsent(
                t.storage().key(), k -> storage(zip, prefix, t.storage(), file));
        out.put(String.valueOf(e.getKey()), t.materialise(values));
      }
      return out;
    } catch (ZipException e) {
      throw new SourceFormatException(file + " is a broken zip: " + e.getMessage());
    } catch (PickleException e) {
      throw new SourceFormatException(file + ": unreadable pickle: " + e.getMessage());
    } catch (IOException e) {
      throw new SourceFormatException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

  private static boolean isZip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && head[0] == 'P' && head[1] == 'K';
    } catch (IOException e) {
      throw new SourceFormatException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static Map<String, WeightArray> readLegacy(Path file, String stateKey) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      Object magic;
      try {
        magic = new Unpickler().load(in);
      } catch (PickleException | IOException e) {
        magic = null;
      }
      if (!(magic instanceof Number n) || !new BigInteger(n.toString()).equals(LEGACY_MAGIC)) {
        throw new SourceFormatException(file + " is neither a zip nor a legacy PyTorch checkpoint");
      }
      new Unpickler().load(in); // protocol version
      new Unpickler().load(in); // system info (byte order, type sizes)
      Object root = new StorageUnpickler().load(in);
      Object keys = new Unpickler().load(in);
      Map<String, float[]> storages = new HashMap<>();
      Map<String, StorageType> types = new HashMap<>();
      collectTypes(root, types);
      for (Object k : (java.util.List<?>) keys) {
        String key = PickleTypes.text(k);
        StorageType type = types.get(key);
        long count =
            java.nio.ByteBuffer.wrap(in.readNBytes(8))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
        byte[] raw =
            in.readNBytes(Math.toIntExact(count * (type == null ? 4 : type.elementSize())));
        if (type != null) {
          storages.put(key, type.decode(raw));
        }
      }
      Map<String, WeightArray> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : stateDict(root, stateKey, file).entrySet()) {
        if (!(e.getValue() instanceof TensorRef t) || !storages.containsKey(t.storage().key())) {
          throw new SourceFormatException(
              file + ": '" + stateKey + "." + e.getKey() + "' is not a stored tensor");
        }
        out.put(String.valueOf(e.getKey()), t.materialise(storages.get(t.storage().key())));
      }
      return out;
    } catch (PickleException | ClassCastException e) {
      throw new SourceFormatException(
          file + ": unreadable legacy PyTorch checkpoint: " + e.getMessage());
    } catch (IOException e) {
      throw new SourceFormatException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * Storage key -> type of every tensor reachable in the unpickled object (dicts, lists, tuples).
   */
  private static void collectTypes(Object o, Map<String, StorageType> types) {
    if (o instanceof TensorRef t) {
      types.put(t.storage().key(), t.storage().type());
    } else if (o instanceof Map<?, ?> m) {
      m.values().forEach(v -> collectTypes(v, types));
    } else if (o instanceof java.util.Collection<?> c) {
      c.forEach(v -> collectTypes(v, types));
    } else if (o instanceof Object[] a) {
      for (Object v : a) {
        collectTypes(v, types);
      }
    }
  }

  private static Map<?, ?> stateDict(Object root, String stateKey, Path file) {
    if (!(root instanceof Map<?, ?> m)) {
      throw new SourceFormatException(file + " does not hold a dict");
    }
    Object state = m.get(stateKey);
    if (state instanceof Map<?, ?> s) {
      return s;
    }
    if (!m.isEmpty() && m.values().stream().allMatch(v -> v instanceof TensorRef)) {
      return m;
    }
    throw new SourceFormatException(
        file + " has no '" + stateKey + "' (its keys: " + m.keySet() + ")");
  }

  private static float[] storage(ZipFile zip, String prefix, StorageRef ref, Path file) {
    ZipEntry e = zip.getEntry(prefix + "data/" + ref.key());
    if (e == null) {
      throw new SourceFormatException(file + " lacks the storage data/" + ref.key());
    }
    try (InputStream in = zip.getInputStream(e)) {
      return ref.type().decode(in.readAllBytes());
    } catch (IOException ex) {
      throw new SourceFormatException(
          "cannot read storage " + ref.key() + " of " + file + ": " + ex.getMessage());
    }
  }

  /**
   * Resolves {@code ('storage', type, key, location, numel)} persistent ids to storage references.
   */
  private static final class StorageUnpickler extends Unpickler {
    @Override
    protected Object persistentLoad(Object pid) {
      if (pid instanceof Object[] t
          && t.length >= 3
          && "storage".equals(PickleTypes.text(t[0]))
          && t[1] instanceof StorageType type) {
        return new StorageRef(type, PickleTypes.text(t[2]));
      }
      throw new PickleException(
          "unsupported persistent id "
              + java.util.Arrays.deepToString(pid instanceof Object[] a ? a : new Object[] {pid}));
    }
  }
}
