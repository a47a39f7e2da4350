package io.cmstream.trainer.importer;

import io.cmstream.trainer.importer.PickleTypes.StorageRef;
import io.cmstream.trainer.importer.PickleTypes.StorageType;
import io.cmstream.trainer.importer.PickleTypes.TensorRef;
import java.io.IOException;
import java.io.InputStream;
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
 * A PyTorch {@code torch.save} file in the zip format (PyTorch 1.6 and later): {@code ARCHIVE/data.pkl}
 * (the pickled object, each storage a persistent id {@code ('storage', type, key, location,
 * numel)}) and {@code ARCHIVE/data/KEY} (the raw little-endian storages). Reads the state dict
 * under one top-level key ({@code model_state} for PySlowFast, {@code state_dict} for MMAction2).
 */
public final class TorchCheckpoint {
  private TorchCheckpoint() {}

  /**
   * @param stateKey the top-level key of the state dict; if absent and the file is itself a
   *     dict of tensors, that dict
   * @return arrays by name, in the file's order
   */
  public static Map<String, WeightArray> readStateDict(Path file, String stateKey) {
    PickleTypes.register();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
          .findFirst().orElseThrow(() -> new SourceFormatException(file + " is a zip without data.pkl: not a PyTorch checkpoint"));
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
          throw new SourceFormatException(file + ": '" + stateKey + "." + e.getKey() + "' is not a tensor");
        }
        float[] values = storages.computeIfAbsent(t.storage().key(), k -> storage(zip, prefix, t.storage(), file));
        out.put(String.valueOf(e.getKey()), t.materialise(values));
      }
      return out;
    } catch (ZipException e) {
      throw new SourceFormatException(file + " is not a zip-format PyTorch checkpoint (PyTorch >= 1.6 writes one; "
          + "re-save an older file with torch.save in a current PyTorch): " + e.getMessage());
    } catch (PickleException e) {
      throw new SourceFormatException(file + ": unreadable pickle: " + e.getMessage());
    } catch (IOException e) {
      throw new SourceFormatException("cannot read " + file + ": " + e.getMessage());
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
    throw new SourceFormatException(file + " has no '" + stateKey + "' (its keys: " + m.keySet() + ")");
  }

  private static float[] storage(ZipFile zip, String prefix, StorageRef ref, Path file) {
    ZipEntry e = zip.getEntry(prefix + "data/" + ref.key());
    if (e == null) {
      throw new SourceFormatException(file + " lacks the storage data/" + ref.key());
    }
    try (InputStream in = zip.getInputStream(e)) {
      return ref.type().decode(in.readAllBytes());
    } catch (IOException ex) {
      throw new SourceFormatException("cannot read storage " + ref.key() + " of " + file + ": " + ex.getMessage());
    }
  }

  /** Resolves {@code ('storage', type, key, location, numel)} persistent ids to storage references. */
  private static final class StorageUnpickler extends Unpickler {
    @Override
    protected Object persistentLoad(Object pid) {
      if (pid instanceof Object[] t && t.length >= 3 && "storage".equals(PickleTypes.text(t[0]))
          && t[1] instanceof StorageType type) {
        return new StorageRef(type, PickleTypes.text(t[2]));
      }
      throw new PickleException("unsupported persistent id " + java.util.Arrays.deepToString(
          pid instanceof Object[] a ? a : new Object[] {pid}));
    }
  }
}
