package dev.priorityqueues.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.SqsEventSource;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.local.servers.LambdaContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Each flow's order when both tiers are backlogged: the worker is invoked with a regular batch
 * while premium has messages waiting, and the processor records what ran, in order.
 */
class FlowOrderingTest {

  private static WorkerFixture fixture(String flow, Map<String, Object> env) {
    TestStack.Builder builder = TestStack.builder("flow-" + flow)
        .env(FunctionEnv.FLOW, flow)
        .env(FunctionEnv.RETRY_BACKOFF_SECONDS, 0)
        .env(FunctionEnv.DEFER_DELAY_SECONDS, 0);
    env.forEach(builder::env);
    return new WorkerFixture(builder.build());
  }

  private static void backlog(WorkerFixture fixture, int premium, int regular) {
    for (int i = 1; i <= premium; i++) {
      fixture.queued("premium", "p" + i);
    }
    for (int i = 1; i <= regular; i++) {
      fixture.queued("regular", "r" + i);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sqsCalls(WorkerFixture fixture) {
    return (Map<String, Object>) fixture.lines.withMessage("batch done").getLast().get("sqsCalls");
  }

  @Test
  void queueLevelRunsTheBatchItWasGivenAndNothingElse() {
    WorkerFixture fixture = fixture("queue-level", Map.of());
    backlog(fixture, 2, 2);
    RecordingProcessor processor = new RecordingProcessor();

    SqsEventSource.Batch batch = fixture.deliver(fixture.handler(processor), "regular", 10);

    assertThat(batch.failedIds()).isEmpty();
    assertThat(processor.order()).containsExactly("regular:r1", "regular:r2");
    assertThat(fixture.backlog(fixture.stack.tier("premium").queueUrl())).isEqualTo(2);
    assertThat(sqsCalls(fixture)).isEmpty();
  }

  @Test
  void consumerLevelDefersTheLowerTierWhilePremiumWaitsThenRunsItAfter() {
    WorkerFixture fixture = fixture("consumer-level",
        Map.of(FunctionEnv.BACKLOG_CACHE_MILLIS, 0, FunctionEnv.BACKLOG_HOLD_MILLIS, 0));
    backlog(fixture, 2, 2);
    RecordingProcessor processor = new RecordingProcessor();
    WorkerHandler handler = fixture.handler(processor);

    SqsEventSource.Batch deferred = fixture.deliver(handler, "regular", 10);
    assertThat(deferred.failedIds()).isEmpty();
    assertThat(processor.order()).isEmpty();
    assertThat(sqsCalls(fixture)).isEqualTo(Map.of("GET_ATTRIBUTES", 2, "SEND", 2));
    assertThat(fixture.lines.metric(MetricNames.DEFERRALS, "regular")).isEqualTo(2);

    fixture.deliver(handler, "premium", 10);
    SqsEventSource.Batch after = fixture.deliver(handler, "regular", 10);

    assertThat(processor.order()).containsExactly("premium:p1", "premium:p2", "regular:r1", "regular:r2");
    assertThat(after.messages()).allSatisfy(message -> {
      assertThat(message.messageAttributes().get(MessageAttributes.DEFERRALS).stringValue()).isEqualTo("1");
      assertThat(message.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "1");
    });
  }

  @Test
  void aDeferredMessageKeepsItsReceiveBudgetAndRunsAfterTheDeferralLimit() {
    WorkerFixture fixture = new WorkerFixture(TestStack.builder("deferral-budget")
        .maxReceiveCount(2)
        .env(FunctionEnv.FLOW, "consumer-level")
        .env(FunctionEnv.MAX_DEFERRALS, 3)
        .env(FunctionEnv.DEFER_DELAY_SECONDS, 0)
        .build());
    fixture.queued("premium", "stays");
    fixture.queued("regular", "patient");
    RecordingProcessor processor = new RecordingProcessor();
    WorkerHandler handler = fixture.handler(processor);

    List<Message> deliveries = new ArrayList<>();
    for (int invocation = 0; invocation < 4; invocation++) {
      SqsEventSource.Batch batch = fixture.deliver(handler, "regular", 1);
      assertThat(batch.failedIds()).isEmpty();
      deliveries.addAll(batch.messages());
    }

    assertThat(deliveries).extracting(m -> m.attributesAsStrings().get("ApproximateReceiveCount"))
        .as("a deferral is a new message: the receive count never climbs toward maxReceiveCount 2")
        .containsExactly("1", "1", "1", "1");
    assertThat(deliveries).extracting(m -> m.messageAttributes().containsKey(MessageAttributes.DEFERRALS)
            ? m.messageAttributes().get(MessageAttributes.DEFERRALS).stringValue() : "none")
        .containsExactly("none", "1", "2", "3");
    assertThat(processor.order()).containsExactly("regular:patient");
    assertThat(fixture.deadLetters("regular")).isEmpty();
    assertThat(fixture.lines.metric(MetricNames.DEFERRALS, "regular")).isEqualTo(3);
    assertThat(fixture.lines.withMessage("deferral limit reached; processing despite a busy higher tier")).hasSize(1);
  }

  @Test
  void highestFirstTakesPremiumWorkBeforeEachOwnMessageThenDrains() {
    WorkerFixture fixture = fixture("highest-first", Map.of(FunctionEnv.STEAL_BUDGET, 2, FunctionEnv.DRAIN, true));
    backlog(fixture, 5, 2);
    RecordingProcessor processor = new RecordingProcessor();

    SqsEventSource.Batch batch = fixture.deliver(fixture.handler(processor), "regular", 10);

    assertThat(batch.failedIds()).isEmpty();
    assertThat(processor.order()).containsExactly(
        "premium:p1", "premium:p2", "regular:r1", "premium:p3", "premium:p4", "regular:r2", "premium:p5");
    assertThat(fixture.backlog(fixture.stack.tier("premium").queueUrl())).isZero();
    assertThat(fixture.lines.metric(MetricNames.STEALS, "premium")).isEqualTo(4);
    assertThat(fixture.lines.metric(MetricNames.DRAINED, "premium")).isEqualTo(1);
    assertThat(sqsCalls(fixture))
        .as("one receive per stolen or drained job, one final empty sweep of both tiers, and one batched delete")
        .isEqualTo(Map.of("RECEIVE", 7, "DELETE", 1));
  }

  @Test
  void highestFirstLendsAnIdleHigherTierCapacityTokensWhoseInvocationsDrainTheBacklog() {
    WorkerFixture fixture = fixture("highest-first", Map.of(FunctionEnv.LEND_TOKENS, 2, FunctionEnv.DRAIN, true));
    backlog(fixture, 0, 2);
    RecordingProcessor processor = new RecordingProcessor();
    WorkerHandler handler = fixture.handler(processor);

    // A regular invocation finds premium idle (its steal) and regular backlogged (its drain): it lends.
    fixture.deliver(handler, "regular", 1);
    assertThat(processor.order()).containsExactly("regular:r1", "regular:r2");
    assertThat(fixture.lines.metric(MetricNames.TOKENS_LENT, "premium")).isEqualTo(2);
    assertThat(sqsCalls(fixture)).as("the tokens cost one batched send")
        .containsEntry("SEND", 1).containsEntry("RECEIVE", 5).containsEntry("DELETE", 2);
    assertThat(fixture.backlog(fixture.stack.tier("premium").queueUrl()))
        .as("its last sweep met one token: surplus (no premium mapping took it), deleted; the other waits")
        .isEqualTo(1);

    // The token starts a premium invocation: it acknowledges the token and drains regular work,
    // and lends nothing itself, so tokens cannot breed tokens.
    fixture.queued("regular", "r3");
    fixture.queued("regular", "r4");
    SqsEventSource.Batch tokenBatch = fixture.deliver(handler, "premium", 10);
    assertThat(tokenBatch.messages()).singleElement()
        .satisfies(m -> assertThat(m.messageAttributes()).containsKey(MessageAttributes.CAPACITY_TOKEN));
    assertThat(tokenBatch.failedIds()).isEmpty();
    assertThat(processor.order()).containsExactly("regular:r1", "regular:r2", "regular:r3", "regular:r4");
    assertThat(fixture.lines.metric(MetricNames.TOKEN_INVOCATIONS, "premium")).isEqualTo(1);
    assertThat(fixture.lines.metric(MetricNames.TOKENS_LENT, "premium")).isEqualTo(2);
    assertThat(sqsCalls(fixture)).doesNotContainKey("SEND");
    assertThat(fixture.backlog(fixture.stack.tier("premium").queueUrl())).isZero();
    assertThat(fixture.deadLetters("premium")).as("a token is never mistaken for a malformed job").isEmpty();
  }

  @Test
  void highestFirstStealBudgetBoundsTheLowerTiersWait() {
    WorkerFixture fixture = fixture("highest-first", Map.of(FunctionEnv.STEAL_BUDGET, 1, FunctionEnv.DRAIN, false));
    backlog(fixture, 5, 2);
    RecordingProcessor processor = new RecordingProcessor();

    fixture.deliver(fixture.handler(processor), "regular", 10);

    assertThat(processor.order()).containsExactly("premium:p1", "regular:r1", "premium:p2", "regular:r2");
    assertThat(fixture.backlog(fixture.stack.tier("premium").queueUrl())).isEqualTo(3);
  }

  @Test
  void highestFirstDrainsLowerTiersWhenItsOwnTierIsDone() {
    WorkerFixture fixture = fixture("highest-first", Map.of(FunctionEnv.DRAIN, true));
    backlog(fixture, 1, 2);
    RecordingProcessor processor = new RecordingProcessor();

    fixture.deliver(fixture.handler(processor), "premium", 1);

    assertThat(processor.order()).as("a premium invocation helps the regular tier once premium is empty")
        .containsExactly("premium:p1", "regular:r1", "regular:r2");
    assertThat(fixture.lines.metric(MetricNames.DRAINED, "regular")).isEqualTo(2);
  }

  @Test
  void highestFirstNeverStartsWorkThatCannotFinish() {
    WorkerFixture fixture = fixture("highest-first", Map.of(FunctionEnv.DRAIN, false));
    backlog(fixture, 2, 1);
    RecordingProcessor processor = new RecordingProcessor(1_000);

    SqsEventSource.Batch tooLate = fixture.deliver(fixture.handler(processor), "regular", 1,
        LambdaContext.withRemaining("worker", Duration.ofMillis(2_000)));
    assertThat(tooLate.failedIds()).as("not started: 2 s left, 1.5 s margin, 1 s job").hasSize(1);
    assertThat(processor.order()).isEmpty();
    assertThat(fixture.lines.withMessage("job will be retried")).singleElement()
        .satisfies(line -> assertThat((String) line.get("reason")).startsWith("not started: "));

    SqsEventSource.Batch ownOnly = fixture.deliver(fixture.handler(processor), "regular", 1,
        LambdaContext.withRemaining("worker", Duration.ofMillis(3_200)));
    assertThat(ownOnly.messages()).as("a retry after visibility 0, at once").hasSize(1);
    assertThat(ownOnly.failedIds()).isEmpty();
    assertThat(processor.order()).as("room for the own job (2.5 s) but not for a steal first (3.5 s)")
        .containsExactly("regular:r1");
    assertThat(fixture.backlog(fixture.stack.tier("premium").queueUrl())).isEqualTo(2);
  }
}
