package io.cmstream.common.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelMapPbtxtTest {
  @TempDir Path dir;

  @Test
  void shouldReadTheItemDialect() {
    LabelMap m =
        LabelMapPbtxt.parse(
            "l.pbtxt",
            "item {\n  name: \"bend/bow (at the waist)\"\n  id: 1\n}\nitem { name: \"dance\" id: 4 }\n");
    assertEquals(2, m.size());
    assertEquals("bend/bow (at the waist)", m.name(1));
    assertEquals("dance", m.name(4));
    assertArrayEquals(new int[] {1, 4}, m.ids());
  }

  @Test
  void shouldReadTheLabelDialectWithTypesAndComments() {
    LabelMap m =
        LabelMapPbtxt.parse(
            "l.pbtxt",
            "# AVA v2.2\nlabel {\n  name: \"stand\"\n  label_id: 12\n  label_type: PERSON_MOVEMENT\n}\nlabel {\n  label_id: 80\n  name: \"watch (a person)\"\n  label_type: PERSON_INTERACTION\n}\n");
    assertEquals("stand", m.name(12));
    assertEquals("PERSON_MOVEMENT", m.labels().get(0).type());
    assertEquals("watch (a person)", m.name(80));
  }

  @Test
  void shouldRoundTripBothDialects() {
    LabelMap m =
        LabelMap.of(
            new LabelMap.Label(1, "a \"quoted\" name", "POSE"), new LabelMap.Label(3, "b", "POSE"));
    LabelMapPbtxt.write(dir.resolve("l.pbtxt"), m, LabelMap.Dialect.LABEL);
    assertEquals(m, LabelMapPbtxt.read(dir.resolve("l.pbtxt")));
    LabelMapPbtxt.write(dir.resolve("i.pbtxt"), m, LabelMap.Dialect.ITEM);
    LabelMap items = LabelMapPbtxt.read(dir.resolve("i.pbtxt"));
    assertEquals("a \"quoted\" name", items.name(1));
    assertEquals("", items.labels().get(0).type());
  }

  @Test
  void shouldRejectUnknownSyntaxWithFileAndLine() {
    AvaFormatException e =
        assertThrows(
            AvaFormatException.class,
            () ->
                LabelMapPbtxt.parse(
                    "l.pbtxt", "item {\n  name: \"a\"\n  id: 1\n}\nclass {\n  name: \"b\"\n}\n"));
    assertEquals(
        "l.pbtxt:5: unknown label-map syntax 'class': expected 'item {' or 'label {'",
        e.getMessage());
    e =
        assertThrows(
            AvaFormatException.class,
            () -> LabelMapPbtxt.parse("l.pbtxt", "item {\n  name: \"a\"\n  label_id: 1\n}\n"));
    assertEquals(
        "l.pbtxt:3: unknown label-map syntax: field 'label_id' in 'item {'", e.getMessage());
    e =
        assertThrows(
            AvaFormatException.class,
            () -> LabelMapPbtxt.parse("l.pbtxt", "item {\n  name: \"a\"\n  id: x1\n}\n"));
    assertEquals("l.pbtxt:3: bad id 'x1': not an integer", e.getMessage());
    e =
        assertThrows(
            AvaFormatException.class,
            () -> LabelMapPbtxt.parse("l.pbtxt", "item {\n  name: \"a\"\n  id: 1\n"));
    assertEquals(
        "l.pbtxt:4: unexpected end of file inside 'item {' opened at line 1", e.getMessage());
    e =
        assertThrows(
            AvaFormatException.class,
            () ->
                LabelMapPbtxt.parse(
                    "l.pbtxt", "item { name: \"a\" id: 1 }\nitem { name: \"b\" id: 1 }\n"));
    assertEquals("l.pbtxt:2: duplicate id 1", e.getMessage());
    e = assertThrows(AvaFormatException.class, () -> LabelMapPbtxt.parse("l.pbtxt", "\n"));
    assertEquals("l.pbtxt:0: label map has no classes", e.getMessage());
  }
}
