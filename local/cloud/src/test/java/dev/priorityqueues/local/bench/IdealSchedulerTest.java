package dev.priorityqueues.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdealSchedulerTest {

  @Test
  void startsTheHighestTierFirstWheneverASlotFrees() {
    // One slot. Two regular jobs arrive at 0, a premium job at 50: it goes next, ahead of regular #2.
    List<Arrival> trace =
        List.of(new Arrival(0, 0, 1, "regular", "a"), new Arrival(1, 0, 1, "regular", "b"), new Arrival(2, 50, 0, "premium", "c"));
    IdealScheduler.Schedule s = IdealScheduler.run(trace, new double[] {100, 100, 100}, 1);
    assertThat(s.startMillis()).containsExactly(0, 200, 100);
    assertThat(s.waitMillis(trace.get(2))).isEqualTo(50);
    assertThat(s.makespanMillis()).isEqualTo(300);
  }

  @Test
  void neverIdlesWhileWorkWaitsAndNeverPreempts() {
    List<Arrival> trace =
        List.of(new Arrival(0, 0, 1, "regular", "a"), new Arrival(1, 10, 0, "premium", "b"), new Arrival(2, 500, 1, "regular", "c"));
    IdealScheduler.Schedule s = IdealScheduler.run(trace, new double[] {100, 100, 100}, 2);
    assertThat(s.startMillis()).containsExactly(0, 10, 500);
    assertThat(s.makespanMillis()).isEqualTo(600);
  }

  @Test
  void onAGrowingCapacityStartsJobsAsSlotsAppearAndStillServesTheHighestTierFirst() {
    // One slot until 150 ms, then three: regular b and premium c wait for the new slots; a slot
    // taken away at 250 ms does not stop the jobs running on it, so d waits for both.
    List<Arrival> trace = List.of(new Arrival(0, 0, 1, "regular", "a"), new Arrival(1, 0, 1, "regular", "b"),
        new Arrival(2, 20, 0, "premium", "c"), new Arrival(3, 30, 1, "regular", "d"));
    List<long[]> capacity = List.of(new long[] {0, 1}, new long[] {150, 3}, new long[] {250, 1});
    IdealScheduler.Schedule s = IdealScheduler.runWithCapacity(trace, new double[] {300, 300, 300, 300}, capacity);
    assertThat(s.startMillis()).containsExactly(0, 150, 150, 450);
    assertThat(s.makespanMillis()).isEqualTo(750);
    // With the capacity constant, it is the fixed-slot scheduler.
    IdealScheduler.Schedule fixed = IdealScheduler.runWithCapacity(trace, new double[] {300, 300, 300, 300}, List.<long[]>of(new long[] {0, 2}));
    assertThat(fixed.startMillis()).containsExactly(IdealScheduler.run(trace, new double[] {300, 300, 300, 300}, 2).startMillis());
  }

  @Test
  void percentilesUseNearestRank() {
    Percentiles p = new Percentiles(new double[] {5, 1, 4, 2, 3});
    assertThat(p.at(50)).isEqualTo(3);
    assertThat(p.at(95)).isEqualTo(5);
    assertThat(p.at(20)).isEqualTo(1);
    assertThat(p.max()).isEqualTo(5);
  }
}
