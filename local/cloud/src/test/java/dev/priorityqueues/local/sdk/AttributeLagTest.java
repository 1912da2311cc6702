package dev.priorityqueues.local.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeLagTest {

  private final AttributeLag lag = new AttributeLag();

  @Test
  void answersWithTheNumbersFromLagAgo() {
    lag.set(1000);
    lag.record("q", Map.of("ApproximateNumberOfMessages", "0"), 10_000);
    lag.record("q", Map.of("ApproximateNumberOfMessages", "7"), 10_500);
    lag.record("q", Map.of("ApproximateNumberOfMessages", "9"), 11_200);
    Map<String, String> live = Map.of("ApproximateNumberOfMessages", "9", "QueueArn", "arn");
    assertThat(lag.lagged("q", live, 11_200)).containsEntry("ApproximateNumberOfMessages", "0").containsEntry("QueueArn", "arn");
    assertThat(lag.lagged("q", live, 11_600)).containsEntry("ApproximateNumberOfMessages", "7");
  }

  @Test
  void passesLiveNumbersThroughWithoutLag() {
    Map<String, String> live = Map.of("ApproximateNumberOfMessages", "3");
    assertThat(lag.lagged("q", live, 1)).isSameAs(live);
  }
}
