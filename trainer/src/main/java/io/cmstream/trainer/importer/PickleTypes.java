package io.cmstream.trainer.importer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * The Python classes the model checkpoints pickle, for Pyrolite's {@link Unpickler}: numpy arrays
 * and dtypes (Caffe2 {@code .pkl} blobs), PyTorch storages and {@code _rebuild_tensor_v2} (the
 * {@code data.pkl} of a {@code .pyth} / {@code .pth} zip), {@code collections.OrderedDict}.
 * Pyrolite keeps its constructors in one process-wide table; they are registered once, here.
 */
final class PickleTypes {
  private static final String[] NUMPY_MODULES = {"numpy.core.multiarray", "numpy._core.multiarray"};

  static {
    for (String m : NUMPY_MODULES) {
      Unpickler.registerConstructor(m, "_reconstruct", args -> new NumpyArray());
      Unpickler.registerConstructor(m, "scalar", PickleTypes::numpyScalar);
    }
    Unpickler.registerConstructor("numpy", "ndarray", args -> new NumpyArray());
    Unpickler.registerConstructor("numpy", "dtype", args -> new NumpyDtype(text(args[0])));
    Unpickler.registerConstructor("collections", "OrderedDict", args -> new OrderedDict());
    for (String t :
        List.of(
            "Float",
            "Double",
            "Half",
            "BFloat16",
            "Long",
            "Int",
            "Short",
            "Char",
            "Byte",
            "Bool")) {
      Unpickler.registerConstructor("torch", t + "Storage", new StorageType(t));
    }
    Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TensorRef::of);
    Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", TensorRef::of);
    Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
  }

  private PickleTypes() {}

  /** Makes sure the constructors are registered (class initialisation). */
  static void register() {
    // the static initialiser does the work
  }

  /** A Python 2 {@code str} arrives as a String of latin-1 chars, Python 3 bytes as byte[]. */
  static byte[] bytes(Object o) {
    if (o instanceof byte[] b) {
      return b;
    }
    if (o instanceof String s) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    throw new PickleException(
        "expected bytes, got " + (o == null ? "None" : o.getClass().getSimpleName()));
  }

  static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(o);
  }

  private static Object numpyScalar(Object[] args) {
    NumpyDtype dtype = (NumpyDtype) args[0];
    return dtype.decode(bytes(args[1]), 1)[0];
  }

  /**
   * {@code collections.OrderedDict}; a PyTorch state dict's BUILD sets its attributes ({@code
   * _metadata}: module versions), which the import does not need.
   */
  public static final class OrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    public void __setstate__(java.util.HashMap<?, ?> attributes) {
      // attributes of the dict object, not items
    }
  }

  /**
   * numpy's dtype: the kind and size ({@code f4}, {@code <f8}, ...) and the byte order from its
   * state.
   */
  public static final class NumpyDtype {
    private final String code;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    NumpyDtype(String code) {
      this.code = code.replace("<", "").replace("=", "").replace("|", "");
      if (code.startsWith(">")) {
        order = ByteOrder.BIG_ENDIAN;
      }
    }

    /** Pyrolite's BUILD: (version, byte order, ...). */
    public void __setstate__(Object[] state) {
      if (state.length > 1 && ">".equals(text(state[1]))) {
        order = ByteOrder.BIG_ENDIAN;
      }
    }

    String code() {
      return code.replace(">", "");
    }

    float[] decode(byte[] raw, long count) {
      ByteBuffer b = ByteBuffer.wrap(raw).order(order);
      float[] out = new float[Math.toIntExact(count)];
      switch (code()) {
        case "f4" -> b.asFloatBuffer().get(out);
        case "f8" -> {
          for (int i = 0; i < out.length; i++) out[i] = (float) b.getDouble(i * 8);
        }
        case "i8" -> {
          for (int i = 0; i < out.length; i++) out[i] = b.getLong(i * 8);
        }
        case "i4" -> {
          for (int i = 0; i < out.length; i++) out[i] = b.getInt(i * 4);
        }
        default ->
            throw new SourceFormatException(
                "numpy dtype '" + code + "' is not supported (float32, float64, int32, int64 are)");
      }
      return out;
    }
  }

  /** numpy's ndarray, filled by BUILD with (version, shape, dtype, fortran order, raw data). */
  public static final class NumpyArray {
    private WeightArray array;

    public void __setstate__(Object[] state) {
      int i = state.length == 5 ? 1 : 0;
      Object[] shapeItems = (Object[]) state[i];
      NumpyDtype dtype = (NumpyDtype) state[i + 1];
      boolean fortran = Boolean.TRUE.equals(state[i + 2]);
      long[] shape = new long[shapeItems.length];
      long n = 1;
      for (int k = 0; k < shape.length; k++) {
        shape[k] = ((Number) shapeItems[k]).longValue();
        n *= shape[k];
      }
      float[] values = dtype.decode(bytes(state[i + 3]), n);
      array =
          new WeightArray(
              shape, fortran ? TensorRef.gather(values, shape, fortranStrides(shape), 0) : values);
    }

    WeightArray array() {
      if (array == null) {
        throw new SourceFormatException("a numpy array without data");
      }
      return array;
    }

    private static long[] fortranStrides(long[] shape) {
      long[] s = new long[shape.length];
      long acc = 1;
      for (int k = 0; k < shape.length; k++) {
        s[k] = acc;
        acc *= shape[k];
      }
      return s;
    }
  }

  /**
   * {@code torch.FloatStorage} and its kin, as the pickle names them in a storage's persistent id.
   */
  record StorageType(String kind) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      throw new PickleException("torch." + kind + "Storage cannot be built from a pickle");
    }

    int elementSize() {
      return switch (kind) {
        case "Double", "Long" -> 8;
        case "Float", "Int" -> 4;
        case "Half", "BFloat16", "Short" -> 2;
        default -> 1;
      };
    }

    private static float halfToFloat(short h) {
      int bits = h & 0xffff;
      int sign = (bits & 0x8000) << 16;
      int exp = (bits >>> 10) & 0x1f;
      int mant = bits & 0x3ff;
      if (exp == 0) {
        return (sign == 0 ? 1 : -1) * mant * 0x1p-24f;
      }
      if (exp == 31) {
        return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
      }
      return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    float[] decode(byte[] raw) {
      ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      int n = raw.length / elementSize();
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] =
            switch (kind) {
              case "Float" -> b.getFloat(i * 4);
              case "Double" -> (float) b.getDouble(i * 8);
              case "Half" -> halfToFloat(b.getShort(i * 2));
              case "BFloat16" -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
              case "Long" -> b.getLong(i * 8);
              case "Int" -> b.getInt(i * 4);
              case "Short" -> b.getShort(i * 2);
              default -> b.get(i);
            };
      }
      return out;
    }
  }

  /** A storage named by a persistent id: its type and its key (the zip entry {@code data/KEY}). */
  record StorageRef(StorageType type, String key) {}

  /** A tensor as {@code _rebuild_tensor_v2} describes it: a view of a storage. */
  record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    static TensorRef of(Object[] args) {
      if (!(args[0] instanceof StorageRef s)) {
        throw new PickleException("a tensor whose storage is not a persistent id");
      }
      return new TensorRef(s, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
    }

    private static long[] longs(Object o) {
      Object[] items = (Object[]) o;
      long[] out = new long[items.length];
      for (int i = 0; i < items.length; i++) {
        out[i] = ((Number) items[i]).longValue();
      }
      return out;
    }

    WeightArray materialise(float[] storageValues) {
      return new WeightArray(size, gather(storageValues, size, stride, offset));
    }

    /** Row-major copy of a strided view. */
    static float[] gather(float[] src, long[] size, long[] stride, long offset) {
      long n = 1;
      for (long d : size) {
        n *= d;
      }
      float[] out = new float[Math.toIntExact(n)];
      int rank = size.length;
      long[] idx = new long[rank];
      for (int i = 0; i < out.length; i++) {
        long at = offset;
        for (int k = 0; k < rank; k++) {
          at += idx[k] * stride[k];
        }
        if (at >= src.length) {
          throw new SourceFormatException(
              String.format(
                  Locale.ROOT, "a tensor reaches past its storage (%d >= %d)", at, src.length));
        }
        out[i] = src[(int) at];
        for (int k = rank - 1; k >= 0; k--) {
          if (++idx[k] < size[k]) {
            break;
          }
          idx[k] = 0;
        }
      }
      return out;
    }
  }
}
