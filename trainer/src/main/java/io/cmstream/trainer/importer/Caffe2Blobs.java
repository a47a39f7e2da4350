package io.cmstream.trainer.importer;

import io.cmstream.trainer.importer.PickleTypes.NumpyArray;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * A Caffe2 checkpoint of PySlowFast's model zoo ({@code .pkl}: a pickled {@code {"blobs": {name:
 * numpy array}}}), its blob names translated to PySlowFast's PyTorch names by the rules of
 * PySlowFast's {@code slowfast/utils/c2_model_loading.py}, applied in the same order.
 */
public final class Caffe2Blobs {
  /** PySlowFast's (pattern, replacement) pairs, in order; Python's \N is Java's $N, \Z is \z. */
  private static final List<String[]> RULES =
      List.of(
          new String[] {"^nonlocal_conv([0-9]+)_([0-9]+)_(.*)", "s$1.pathway0_nonlocal$2_$3"},
          new String[] {"^(.*)_nonlocal([0-9]+)_(theta)(.*)", "$1_nonlocal$2.conv_$3$4"},
          new String[] {"^(.*)_nonlocal([0-9]+)_(g)(.*)", "$1_nonlocal$2.conv_$3$4"},
          new String[] {"^(.*)_nonlocal([0-9]+)_(phi)(.*)", "$1_nonlocal$2.conv_$3$4"},
          new String[] {"^(.*)_nonlocal([0-9]+)_(out)(.*)", "$1_nonlocal$2.conv_$3$4"},
          new String[] {"^(.*)_nonlocal([0-9]+)_(bn)_(.*)", "$1_nonlocal$2.$3.$4"},
          new String[] {"^t_pool1_subsample_bn_(.*)", "s1_fuse.bn.$1"},
          new String[] {"^t_pool1_subsample_(.*)", "s1_fuse.conv_f2s.$1"},
          new String[] {"^t_res([0-9]+)_([0-9]+)_branch2c_bn_subsample_bn_(.*)", "s$1_fuse.bn.$3"},
          new String[] {
            "^t_res([0-9]+)_([0-9]+)_branch2c_bn_subsample_(.*)", "s$1_fuse.conv_f2s.$3"
          },
          new String[] {
            "^res([0-9]+)_([0-9]+)_branch([0-9]+)([a-z])_(.*)", "s$1.pathway0_res$2.branch$3.$4_$5"
          },
          new String[] {"^res_conv1_bn_(.*)", "s1.pathway0_stem.bn.$1"},
          new String[] {"^conv1_xy(.*)", "s1.pathway0_stem.conv_xy$1"},
          new String[] {"^conv1_(.*)", "s1.pathway0_stem.conv.$1"},
          new String[] {
            "^res([0-9]+)_([0-9]+)_branch([0-9]+)_(.*)", "s$1.pathway0_res$2.branch$3_$4"
          },
          new String[] {"^res_conv1_(.*)", "s1.pathway0_stem.conv.$1"},
          new String[] {
            "^t_res([0-9]+)_([0-9]+)_branch([0-9]+)([a-z])_(.*)",
            "s$1.pathway1_res$2.branch$3.$4_$5"
          },
          new String[] {"^t_res_conv1_bn_(.*)", "s1.pathway1_stem.bn.$1"},
          new String[] {"^t_conv1_(.*)", "s1.pathway1_stem.conv.$1"},
          new String[] {
            "^t_res([0-9]+)_([0-9]+)_branch([0-9]+)_(.*)", "s$1.pathway1_res$2.branch$3_$4"
          },
          new String[] {"^t_res_conv1_(.*)", "s1.pathway1_stem.conv.$1"},
          new String[] {"pred_(.*)", "head.projection.$1"},
          new String[] {"(.*)b_bn_fc(.*)", "$1se.fc$2"},
          new String[] {"conv_5(.*)", "head.conv_5$1"},
          new String[] {"lin_5(.*)", "head.lin_5$1"},
          new String[] {"(.*)bn.b\\z", "$1bn.bias"},
          new String[] {"(.*)bn.s\\z", "$1bn.weight"},
          new String[] {"(.*)bn.rm\\z", "$1bn.running_mean"},
          new String[] {"(.*)bn.riv\\z", "$1bn.running_var"},
          new String[] {"(.*)[\\._]b\\z", "$1.bias"},
          new String[] {"(.*)[\\._]w\\z", "$1.weight"});

  private static final List<Pattern> PATTERNS =
      RULES.stream().map(r -> Pattern.compile(r[0])).toList();

  /** Solver bookkeeping a Caffe2 checkpoint carries beside the weights (not model parameters). */
  private static final Pattern BOOKKEEPING =
      Pattern.compile(".*_momentum\\z|^lr\\z|^model_iter\\z|^iter\\z");

  private Caffe2Blobs() {}

  /** PySlowFast's {@code convert_caffe2_name_to_pytorch}. */
  public static String pytorchName(String caffe2Name) {
    String name = caffe2Name;
    for (int i = 0; i < RULES.size(); i++) {
      // re.sub replaces every match; these patterns match at most once per name
      name = PATTERNS.get(i).matcher(name).replaceAll(RULES.get(i)[1]);
    }
    return name;
  }

  /** The blobs by their PySlowFast name, solver bookkeeping left out. */
  public static Map<String, WeightArray> read(Path file) {
    PickleTypes.register();
    Object root;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      root = new Unpickler().load(in);
    } catch (PickleException e) {
      throw new SourceFormatException(file + ": unreadable pickle: " + e.getMessage());
    } catch (IOException e) {
      throw new SourceFormatException("cannot read " + file + ": " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> m) || !(m.get("blobs") instanceof Map<?, ?> blobs)) {
      throw new SourceFormatException(
          file + " is not a Caffe2 checkpoint (a pickled dict with 'blobs')");
    }
    Map<String, WeightArray> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : blobs.entrySet()) {
      String name = PickleTypes.text(e.getKey());
      if (BOOKKEEPING.matcher(name).matches()) {
        continue;
      }
      if (!(e.getValue() instanceof NumpyArray a)) {
        throw new SourceFormatException(file + ": blob '" + name + "' is not a numpy array");
      }
      out.put(pytorchName(name), a.array());
    }
    return out;
  }
}
