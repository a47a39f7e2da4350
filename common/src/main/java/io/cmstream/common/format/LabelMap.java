package io.cmstream.common.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An AVA label map: the classes that count, with their ids (1-based) and names, in file order. Ids
 * are unique.
 */
public record LabelMap(List<Label> labels) {

  /** One class. {@code type} is the AVA v2.2 {@code label_type} (e.g. PERSON_MOVEMENT) or "". */
  public record Label(int id, String name, String type) {
    public Label {
      if (id < 1) {
        throw new IllegalArgumentException("label ids start at 1, got " + id);
      }
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("label " + id + " has no name");
      }
      type = type == null ? "" : type;
    }

    public Label(int id, String name) {
      this(id, name, "");
    }
  }

  /** The two pbtxt dialects AVA ships label maps in. */
  public enum Dialect {
    /** {@code item { name: "..." id: N }} (ActivityNet evaluator, v2.1). */
    ITEM,
    /** {@code label { name: "..." label_id: N label_type: T }} (AVA v2.2 action list). */
    LABEL
  }

  public LabelMap {
    labels = List.copyOf(labels);
    Map<Integer, Label> seen = new TreeMap<>();
    for (Label l : labels) {
      if (seen.put(l.id(), l) != null) {
        throw new IllegalArgumentException("label id " + l.id() + " appears twice");
      }
    }
  }

  public static LabelMap of(Label... labels) {
    return new LabelMap(List.of(labels));
  }

  public int size() {
    return labels.size();
  }

  public boolean contains(int id) {
    return find(id) != null;
  }

  /** The name of class {@code id}; throws when the label map has no such class. */
  public String name(int id) {
    Label l = find(id);
    if (l == null) {
      throw new IllegalArgumentException("no label with id " + id);
    }
    return l.name();
  }

  /** The ids in ascending order. */
  public int[] ids() {
    return labels.stream().mapToInt(Label::id).sorted().toArray();
  }

  public int maxId() {
    return labels.stream().mapToInt(Label::id).max().orElse(0);
  }

  /** The labels sorted by id. */
  public List<Label> sortedById() {
    List<Label> s = new ArrayList<>(labels);
    s.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return Collections.unmodifiableList(s);
  }

  private Label find(int id) {
    for (Label l : labels) {
      if (l.id() == id) {
        return l;
      }
    }
    return null;
  }
}
