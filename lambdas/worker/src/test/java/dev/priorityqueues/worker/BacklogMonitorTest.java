package dev.priorityqueues.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.testing.CapturedLines;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.worker.flow.BacklogMonitor;
import dev.priorityqueues.worker.flow.Queues;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * consumer-level's handling of ApproximateNumberOfMessages. ElasticMQ's count is exact, so the
 * lag AWS shows is played out by hand: a tier read busy, then read empty, must stay busy for the
 * hold, because in AWS that zero may be stale.
 */
class BacklogMonitorTest {

  @Test
  void cachesReadingsAndHoldsABusyTierBusyThroughALaggingZero() {
    TestStack stack = TestStack.create("backlog");
    Tier premium = stack.tier("premium");
    Queues queues = new Queues(TestStack.sqs());
    MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    BacklogMonitor monitor = new BacklogMonitor(queues, 1_000, 5_000, clock);
    Log log = Log.create("worker", Log.Level.INFO, new CapturedLines(), clock);

    assertThat(monitor.firstBusy(List.of(premium), log)).isEmpty();
    TestStack.sqs().sendMessage(b -> b.queueUrl(premium.queueUrl()).messageBody("job"));
    assertThat(monitor.firstBusy(List.of(premium), log)).as("the empty reading is reused within the cache window").isEmpty();
    assertThat(calls(queues)).isEqualTo(1);

    clock.advance(Duration.ofMillis(1_000));
    assertThat(monitor.firstBusy(List.of(premium), log)).hasValue(premium);
    assertThat(calls(queues)).isEqualTo(2);

    String receipt = TestStack.sqs().receiveMessage(b -> b.queueUrl(premium.queueUrl())).messages().getFirst().receiptHandle();
    TestStack.sqs().deleteMessage(b -> b.queueUrl(premium.queueUrl()).receiptHandle(receipt));
    clock.advance(Duration.ofMillis(1_000));
    assertThat(monitor.firstBusy(List.of(premium), log)).as("read 0, but within the hold after a busy reading")
        .hasValue(premium);
    assertThat(calls(queues)).isEqualTo(3);

    clock.advance(Duration.ofMillis(4_000));
    assertThat(monitor.firstBusy(List.of(premium), log)).as("the hold has passed and the tier still reads 0").isEmpty();
  }

  @Test
  void readsTiersHighestFirstAndStopsAtTheFirstBusyOne() {
    TestStack stack = TestStack.builder("backlog-order").tiers(List.of(
        new TestStack.TierSpec("gold", List.of("gold")),
        new TestStack.TierSpec("silver", List.of("silver")),
        new TestStack.TierSpec("bronze", List.of("bronze"))), "bronze").build();
    Queues queues = new Queues(TestStack.sqs());
    TestStack.sqs().sendMessage(b -> b.queueUrl(stack.tier("gold").queueUrl()).messageBody("job"));
    TestStack.sqs().sendMessage(b -> b.queueUrl(stack.tier("silver").queueUrl()).messageBody("job"));
    BacklogMonitor monitor = new BacklogMonitor(queues, 0, 0, new MutableClock(Instant.EPOCH));

    assertThat(monitor.firstBusy(stack.tiers().higherThan(stack.tier("bronze")),
        Log.create("worker", Log.Level.INFO, new CapturedLines(), new MutableClock(Instant.EPOCH))))
        .hasValue(stack.tier("gold"));
    assertThat(calls(queues)).isEqualTo(1);
  }

  private static long calls(Queues queues) {
    Map<Queues.Call, Long> calls = queues.calls();
    return calls.get(Queues.Call.GET_ATTRIBUTES);
  }
}
