package io.cmstream.streamer.persons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class IouTrackerTest {
  private static PersonBox box(double x, double y) {
    return new PersonBox(x, y, x + 0.1, y + 0.3, 0.9);
  }

  @Test
  void shouldKeepTheIdOfAPersonMovingALittle() {
    IouTracker tracker = new IouTracker(0.3, 1.0, 0);
    List<IouTracker.Track> first = tracker.update(List.of(box(0.1, 0.1), box(0.6, 0.5)));
    List<IouTracker.Track> second = tracker.update(List.of(box(0.61, 0.5), box(0.11, 0.1)));
    assertEquals(first.get(0).id(), second.get(0).id());
    assertEquals(0.11, second.get(0).box().x1(), 1e-9);
    assertEquals(first.get(1).id(), second.get(1).id());
    assertEquals(0.61, second.get(1).box().x1(), 1e-9);
  }

  @Test
  void shouldSmoothTheSizeOfATrackAndKeepItWhereThePersonIsNow() {
    IouTracker tracker = new IouTracker(0.3, 0.5, 0);
    tracker.update(List.of(new PersonBox(0.10, 0.10, 0.20, 0.40, 0.9)));
    PersonBox b = tracker.update(List.of(new PersonBox(0.10, 0.10, 0.22, 0.44, 0.8))).get(0).box();
    assertEquals(0.11, b.width(), 1e-9);
    assertEquals(0.32, b.height(), 1e-9);
    assertEquals(0.16, (b.x1() + b.x2()) / 2, 1e-9);
    assertEquals(0.27, (b.y1() + b.y2()) / 2, 1e-9);
    assertEquals(0.8, b.score(), 1e-9);
  }

  @Test
  void shouldHoldAMissedPersonForTheConfiguredSeconds() {
    IouTracker tracker = new IouTracker(0.3, 1.0, 1);
    tracker.update(List.of(box(0.1, 0.1)));
    assertEquals(
        List.of(box(0.1, 0.1)),
        tracker.update(List.of()).stream().map(IouTracker.Track::box).toList());
    assertEquals(List.of(), tracker.update(List.of()));
  }

  @Test
  void shouldStartANewTrackForSomeoneElse() {
    IouTracker tracker = new IouTracker(0.3, 1.0, 0);
    int id = tracker.update(List.of(box(0.1, 0.1))).get(0).id();
    List<IouTracker.Track> t = tracker.update(List.of(box(0.7, 0.1)));
    assertEquals(1, t.size());
    assertEquals(id + 1, t.get(0).id());
  }
}
