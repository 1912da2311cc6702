package dev.priorityqueues.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.local.lambda.InvocationFaults;
import dev.priorityqueues.local.lambda.LocalFunction;
import dev.priorityqueues.local.lambda.TestHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class LocalEventBusTest {

  private static final String PATTERN =
      "{\"source\":[\"aws.s3\"],\"detail-type\":[\"Object Created\"],"
          + "\"detail\":{\"bucket\":{\"name\":[\"uploads\"]},\"object\":{\"key\":[{\"prefix\":\"uploads/\"}]}}}";

  private static String event(String bucket, String key) {
    return "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"Object Created\",\"source\":\"aws.s3\","
        + "\"account\":\"123456789012\",\"time\":\"2026-11-22T02:00:00Z\",\"region\":\"us-east-1\","
        + "\"resources\":[],\"detail\":{\"bucket\":{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\"" + key + "\",\"size\":1}}}";
  }

  private static LocalFunction echo(String name) {
    TestHandlers.reset(name);
    return new LocalFunction(
        new LocalFunction.Spec(name, "arn:aws:lambda:us-east-1:123456789012:function:" + name,
            TestHandlers.Echo.class.getName(), Map.of(), 5, 128, null, false),
        Map.of(), new Semaphore(10), InvocationFaults.NONE);
  }

  @Test
  void deliversOnlyEventsThatMatchTheRulesPattern() throws Exception {
    try (LocalEventBus bus = new LocalEventBus(Duration.ofMillis(10), 2); LocalFunction fn = echo("bus-match")) {
      bus.addRule(new LocalEventBus.Rule("uploads", "arn:rule", PATTERN, true));
      bus.addTarget(new LocalEventBus.Target("uploads", "router", fn, 2, null));
      bus.put(event("uploads", "uploads/u/1.mp4"));
      bus.put(event("other-bucket", "uploads/u/2.mp4"));
      bus.put(event("uploads", "processed/u/3.json"));
      assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(TestHandlers.SEEN.get("bus-match")).hasSize(1);
      assertThat(bus.stats().received()).isEqualTo(3);
      assertThat(bus.stats().matched()).isEqualTo(1);
    }
  }

  @Test
  void retriesAFailingTargetThenSendsTheFailureRecordToItsDestination() throws Exception {
    List<String> failures = new CopyOnWriteArrayList<>();
    try (LocalEventBus bus = new LocalEventBus(Duration.ofMillis(10), 2); LocalFunction fn = echo("bus-fail")) {
      bus.addRule(new LocalEventBus.Rule("all", "arn:rule", "{\"source\":[\"test\"]}", true));
      bus.addTarget(new LocalEventBus.Target("all", "t", fn, 2, (record, event) -> failures.add(record)));
      bus.put("{\"source\":\"test\",\"detail\":{},\"fail\":\"always\"}");
      assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(TestHandlers.SEEN.get("bus-fail")).hasSize(3);
      assertThat(failures).singleElement().satisfies(record -> assertThat(record)
          .contains("\"condition\":\"RetriesExhausted\"")
          .contains("\"approximateInvokeCount\":3")
          .contains("asked to fail: always"));
      assertThat(bus.stats().lost()).isZero();
    }
  }

  @Test
  void countsAnEventWithNowhereLeftToGoAsLost() throws Exception {
    try (LocalEventBus bus = new LocalEventBus(Duration.ofMillis(1), 1); LocalFunction fn = echo("bus-lost")) {
      bus.addRule(new LocalEventBus.Rule("all", "arn:rule", "{\"source\":[\"test\"]}", true));
      bus.addTarget(new LocalEventBus.Target("all", "t", fn, 0, null));
      bus.put("{\"source\":\"test\",\"fail\":\"once\"}");
      assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(bus.stats().lost()).isEqualTo(1);
    }
  }

  @Test
  void deliversInjectedDuplicates() throws Exception {
    try (LocalEventBus bus = new LocalEventBus(Duration.ofMillis(1), 2); LocalFunction fn = echo("bus-dup")) {
      bus.addRule(new LocalEventBus.Rule("all", "arn:rule", "{\"source\":[\"test\"]}", true));
      bus.addTarget(new LocalEventBus.Target("all", "t", fn, 0, null));
      bus.duplicate(1.0, () -> 0.0);
      bus.put("{\"source\":\"test\"}");
      assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(TestHandlers.SEEN.get("bus-dup")).hasSize(2);
      assertThat(bus.stats().duplicated()).isEqualTo(1);
    }
  }

  @Test
  void rejectsAnInvalidPattern() {
    try (LocalEventBus bus = new LocalEventBus(Duration.ofMillis(1), 1)) {
      assertThatThrownBy(() -> bus.addRule(new LocalEventBus.Rule("bad", "arn", "{\"source\":\"aws.s3\"}", true)))
          .hasMessageContaining("rule bad has an invalid event pattern");
    }
  }
}
