package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.VideoStatus;
import dev.priorityqueues.local.bench.Percentiles;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.Videos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Premium first under a regular backlog, through the real upload path: a regular backlog is
 * uploaded, then premium uploads arrive on top of it; with the default flow (highest-first)
 * premium overtakes the backlog.
 */
class PriorityTest {

  @Test
  void premiumOvertakesARegularBacklog() {
    Map<String, String> slowWorker = Map.of("workerProcessor", "simulated:150", "workerReservedConcurrency", "7");
    try (LocalCloud cloud = E2e.start(slowWorker, UnaryOperator.identity())) {
      E2e.user(cloud, "premium-user", "premium");
      E2e.user(cloud, "free-user", "free");
      List<String> regular = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        regular.add(E2e.upload(cloud, "free-user", "sample.mp4", "video/mp4"));
      }
      List<String> premium = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        premium.add(E2e.upload(cloud, "premium-user", "sample.mp4", "video/mp4"));
      }
      List<String> all = new ArrayList<>(regular);
      all.addAll(premium);
      List<Videos.Record> records = E2e.awaitAllTerminal(cloud, all, Duration.ofSeconds(90));

      assertThat(records).allSatisfy(r -> assertThat(r.status()).isEqualTo(VideoStatus.DONE));
      Percentiles premiumWaits = waits(records, "premium");
      Percentiles regularWaits = waits(records, "regular");
      assertThat(premiumWaits.count()).isEqualTo(5);
      // Premium arrived last, yet every premium job waited less than the regular median.
      assertThat(premiumWaits.max()).isLessThan(regularWaits.at(50));
    }
  }

  private static Percentiles waits(List<Videos.Record> records, String tier) {
    return new Percentiles(records.stream().filter(r -> tier.equals(r.tier()))
        .mapToDouble(Videos.Record::queueWaitMillis).toArray());
  }
}
