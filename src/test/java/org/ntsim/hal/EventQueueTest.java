package org.ntsim.hal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The machine's event queue: earliest time first, and insertion order among equal times. */
class EventQueueTest {

  /** Schedules an event per time (in list order) and returns the indices in firing order. */
  private static List<Integer> firingOrder(List<Long> times) {
    EventQueue q = new EventQueue();
    List<Integer> fired = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      int index = i;
      q.schedule(times.get(i), now -> fired.add(index));
    }
    while (!q.isEmpty()) {
      long t = q.peekTimeNs();
      q.poll().fire(t);
    }
    return fired;
  }

  @Property(tries = 200)
  void eventsFireByTimeAndTiesInInsertionOrder(
      @ForAll @Size(max = 300) List<@LongRange(min = 0, max = 40) Long> times) {
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      expected.add(i);
    }
    // A stable sort by time is exactly (time, sequence number) order.
    expected.sort(Comparator.comparing(times::get));

    assertThat(firingOrder(times)).isEqualTo(expected);
  }

  @Property(tries = 100)
  void peekShowsTheTimeOfTheEventPollReturns(
      @ForAll @Size(min = 1, max = 100) List<@LongRange(min = 0, max = 1_000_000) Long> times) {
    EventQueue q = new EventQueue();
    long[] firedAt = new long[1];
    for (long t : times) {
      q.schedule(t, now -> firedAt[0] = now);
    }
    long previous = Long.MIN_VALUE;
    while (!q.isEmpty()) {
      long t = q.peekTimeNs();
      assertThat(t).isGreaterThanOrEqualTo(previous);
      q.poll().fire(t);
      assertThat(firedAt[0]).isEqualTo(t);
      previous = t;
    }
    assertThat(q.size()).isZero();
  }

  @Test
  void emptyQueuePeeksMaxValueAndPollsNull() {
    EventQueue q = new EventQueue();
    assertThat(q.peekTimeNs()).isEqualTo(Long.MAX_VALUE);
    assertThat(q.poll()).isNull();
  }

  @Test
  void eventsScheduledWhileFiringKeepTheOrder() {
    EventQueue q = new EventQueue();
    List<String> fired = new ArrayList<>();
    q.schedule(10, now -> {
      fired.add("a@10");
      q.schedule(10, later -> fired.add("c@10"));
    });
    q.schedule(10, now -> fired.add("b@10"));
    q.schedule(5, now -> fired.add("first@5"));
    while (!q.isEmpty()) {
      long t = q.peekTimeNs();
      q.poll().fire(t);
    }
    assertThat(fired).containsExactly("first@5", "a@10", "b@10", "c@10");
  }
}
