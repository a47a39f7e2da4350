package io.cmstream.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters by name ({@code params.bin}): magic "CMPARAMS", count, then per parameter its DJL path
 * name and the array in DJL's {@link NDArray#encode()} format. Loading by name lets a stage-2 model
 * (with memory) start from a stage-1 checkpoint (without).
 */
public final class ParamsFile {
  private static final String MAGIC = "CMPARAMS";

  private ParamsFile() {}

  /** Writes every initialised parameter of the block. */
  public static void save(Block block, Path file) {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      List<Pair<String, Parameter>> params = new ArrayList<>();
      for (Pair<String, Parameter> p : block.getParameters()) {
        if (p.getValue().isInitialized()) {
          params.add(p);
        }
      }
      out.writeUTF(MAGIC);
      out.writeInt(params.size());
      for (Pair<String, Parameter> p : params) {
        byte[] bytes = p.getValue().getArray().encode();
        out.writeUTF(p.getKey());
        out.writeInt(bytes.length);
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads all arrays of a params file into a manager, by name. */
  public static Map<String, NDArray> read(Path file, NDManager manager) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (!MAGIC.equals(in.readUTF())) {
        throw new IllegalArgumentException(file + " is not a CM-Stream params file");
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        out.put(name, NDArray.decode(manager, bytes));
      }
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " is truncated");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  /**
   * Copies the arrays whose name and shape match into the block's parameters.
   *
   * @param strict true: every parameter of the block must be in the file (resume)
   * @return names of the block parameters that were loaded
   */
  public static List<String> load(Block block, Path file, NDManager manager, boolean strict) {
    List<String> loaded = new ArrayList<>();
    try (NDManager tmp = manager.newSubManager()) {
      Map<String, NDArray> arrays = read(file, tmp);
      for (Pair<String, Parameter> p : block.getParameters()) {
        NDArray src = arrays.get(p.getKey());
        NDArray dst = p.getValue().getArray();
        if (src != null && src.getShape().equals(dst.getShape())) {
          // copy into the parameter's own torch storage (set() would alias a Java buffer)
          dst.subi(dst).addi(src);
          loaded.add(p.getKey());
        } else if (strict) {
          throw new IllegalArgumentException(
              "checkpoint "
                  + file
                  + " has no parameter "
                  + p.getKey()
                  + " of shape "
                  + dst.getShape()
                  + ": it belongs to another model");
        }
      }
    }
    return loaded;
  }
}
