package io.cmstream.ava.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmstream.common.format.AvaFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvaCsvReadersTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void shouldReadGroundTruthRowsWithKeysPrintedAsFourDigits() throws IOException {
    Path p =
        file("gt.csv", "-5KQ66BBWC4,0902,0.077,0.151,0.283,0.811,80,1\r\nvid,905,0,0,1,1,12,0\n\n");
    List<GroundTruthRow> rows = GroundTruthCsv.read(p);
    assertEquals(2, rows.size());
    assertEquals("-5KQ66BBWC4,0902", rows.get(0).key().toString());
    assertEquals(new Box(0.077, 0.151, 0.283, 0.811), rows.get(0).box());
    assertEquals(80, rows.get(0).actionId());
    assertEquals(1, rows.get(0).personId());
    assertEquals("vid,0905,0,0,1,1,12,0", rows.get(1).toCsv());
  }

  @Test
  void shouldRoundTripEveryCsvFormat() {
    Box b = new Box(0.1, 0.25, 0.123456789, 1.0);
    List<GroundTruthRow> gt = List.of(new GroundTruthRow("v1", 902, b, 3, 7));
    GroundTruthCsv.write(dir.resolve("g.csv"), gt);
    assertEquals(gt, GroundTruthCsv.read(dir.resolve("g.csv")));

    List<DetectionRow> det =
        List.of(
            new DetectionRow("v1", 902, b, 3, 0.000123), new DetectionRow("v2", 1, b, 80, 1e-9));
    DetectionsCsv.write(dir.resolve("d.csv"), det);
    assertEquals(det, DetectionsCsv.read(dir.resolve("d.csv")));

    List<ProposalRow> props =
        List.of(
            new ProposalRow("v1", 902, b, 0.9),
            new ProposalRow(new FrameKey("v1", 903), b, OptionalInt.of(5), 0.5));
    ProposalsCsv.write(dir.resolve("p.csv"), props);
    assertEquals(props, ProposalsCsv.read(dir.resolve("p.csv")));

    Set<FrameKey> ex = Set.of(new FrameKey("v1", 902));
    ExclusionsCsv.write(dir.resolve("e.csv"), ex);
    assertEquals(ex, ExclusionsCsv.read(dir.resolve("e.csv")));
  }

  @Test
  void shouldReadPySlowFastPredictedBoxesWithEmptyOrMinusOneAction() throws IOException {
    Path p =
        file(
            "boxes.csv",
            "v,0902,0.1,0.2,0.3,0.4,,0.996503\nv,0902,0.1,0.2,0.3,0.4,-1,0.5\nv,0903,0.1,0.2,0.3,0.4,12,0.25\n");
    List<ProposalRow> rows = ProposalsCsv.read(p);
    assertEquals(OptionalInt.empty(), rows.get(0).actionId());
    assertEquals(0.996503, rows.get(0).score());
    assertEquals(OptionalInt.empty(), rows.get(1).actionId());
    assertEquals(OptionalInt.of(12), rows.get(2).actionId());
    assertEquals("v,0902,0.1,0.2,0.3,0.4,,0.996503", rows.get(0).toCsv());
  }

  @Test
  void shouldNameFileAndLineOnBadColumnCount() throws IOException {
    Path p = file("gt.csv", "v,0902,0.1,0.2,0.3,0.4,1,0\nv,0902,0.1,0.2,0.3,0.4,1\n");
    AvaFormatException e = assertThrows(AvaFormatException.class, () -> GroundTruthCsv.read(p));
    assertEquals(
        p + ":2: expected 8 columns (video_id,timestamp,x1,y1,x2,y2,action_id,person_id), found 7",
        e.getMessage());
    assertEquals(2, e.line());
  }

  @Test
  void shouldNameFileAndLineOnBadNumber() throws IOException {
    Path p =
        file(
            "det.csv",
            "v,0902,0.1,0.2,0.3,0.4,1,0.5\nv,0902,0.1,0.2,0.3,0.4,1,0.5\nv,0902,0.1,abc,0.3,0.4,1,0.5\n");
    AvaFormatException e = assertThrows(AvaFormatException.class, () -> DetectionsCsv.read(p));
    assertEquals(p + ":3: bad y1 'abc': not a decimal number", e.getMessage());
    Path q = file("det2.csv", "v,09x2,0.1,0.2,0.3,0.4,1,0.5\n");
    assertEquals(
        q + ":1: bad timestamp '09x2': not an integer",
        assertThrows(AvaFormatException.class, () -> DetectionsCsv.read(q)).getMessage());
    Path r = file("det3.csv", "v,0902,0.1,0.2,0.3,0.4,1.5,0.5\n");
    assertTrue(
        assertThrows(AvaFormatException.class, () -> DetectionsCsv.read(r))
            .getMessage()
            .startsWith(r + ":1: bad action_id '1.5'"));
  }

  @Test
  void shouldRejectBoxesOutsideTheUnitSquareOrInverted() throws IOException {
    Path p = file("gt.csv", "v,0902,0.1,0.2,1.3,0.4,1,0\n");
    assertTrue(
        assertThrows(AvaFormatException.class, () -> GroundTruthCsv.read(p))
            .getMessage()
            .startsWith(p + ":1: bad box: x2 must be in [0, 1]"));
    Path q = file("gt2.csv", "v,0902,0.5,0.2,0.3,0.4,1,0\n");
    assertTrue(
        assertThrows(AvaFormatException.class, () -> GroundTruthCsv.read(q))
            .getMessage()
            .startsWith(q + ":1: bad box: box corners"));
  }

  @Test
  void shouldRejectExclusionRowsWithExtraColumns() throws IOException {
    Path p = file("ex.csv", "v,0902\nv,0903,1\n");
    assertEquals(
        p + ":2: expected 2 columns (video_id,timestamp), found 3",
        assertThrows(AvaFormatException.class, () -> ExclusionsCsv.read(p)).getMessage());
  }

  @Test
  void shouldComputeIouWithoutPixelOffset() {
    Box a = new Box(0, 0, 0.5, 0.5);
    Box b = new Box(0.25, 0, 0.75, 0.5);
    assertEquals(0.125 / 0.375, a.iou(b), 1e-15);
    assertEquals(1.0, a.iou(a));
    assertEquals(0.0, new Box(0.1, 0.1, 0.1, 0.1).iou(new Box(0.1, 0.1, 0.1, 0.1)));
  }

  @Test
  void shouldFormatNumbersPlainAndExact() {
    assertEquals("0.0001", AvaCsv.number(1e-4));
    assertEquals("1", AvaCsv.number(1.0));
    assertEquals("0", AvaCsv.number(0.0));
    assertEquals(0.1 + 0.2, Double.parseDouble(AvaCsv.number(0.1 + 0.2)));
    assertTrue(AvaCsv.isDecimal("1e-5"));
    assertTrue(AvaCsv.isDecimal(".5"));
    assertTrue(
        !AvaCsv.isDecimal("nan") && !AvaCsv.isDecimal("1.") == false && !AvaCsv.isDecimal("0x1p3"));
  }
}
