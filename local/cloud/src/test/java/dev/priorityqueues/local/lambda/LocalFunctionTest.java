package dev.priorityqueues.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalFunctionTest {

  private static LocalFunction function(String name, Map<String, String> env, int timeout, Integer reserved) {
    TestHandlers.reset(name);
    return new LocalFunction(
        new LocalFunction.Spec(
            name, "arn:aws:lambda:us-east-1:123456789012:function:" + name,
            TestHandlers.Echo.class.getName() + "::handleRequest", env, timeout, 512, reserved, false),
        Map.of("GREETING", "from-overrides"),
        new Semaphore(100),
        InvocationFaults.NONE);
  }

  @Test
  void passesJsonThroughTheHandlerWithItsEnvironment() {
    try (LocalFunction fn = function("echo", Map.of("GREETING", "declared"), 5, null)) {
      InvocationOutcome result = fn.invoke("{\"hello\":\"world\"}");
      assertThat(result.ok()).isTrue();
      assertThat(result.response()).contains("\"function\":\"echo\"").contains("\"greeting\":\"from-overrides\"");
      assertThat(TestHandlers.SEEN.get("echo")).containsExactly(Map.of("hello", "world"));
    }
  }

  @Test
  void reusesAnExecutionEnvironmentAcrossInvocations() {
    try (LocalFunction fn = function("reuse", Map.of(), 5, null)) {
      InvocationOutcome first = fn.invoke("{}");
      InvocationOutcome second = fn.invoke("{}");
      assertThat(first.coldStart()).isTrue();
      assertThat(second.coldStart()).isFalse();
      assertThat(TestHandlers.CONSTRUCTED.get("reuse").get()).isEqualTo(1);
    }
  }

  @Test
  void reportsHandlerErrorsAsLambdaDoesInsteadOfThrowing() {
    try (LocalFunction fn = function("errors", Map.of(), 5, null)) {
      InvocationOutcome result = fn.invoke("{\"fail\":\"bad input\"}");
      assertThat(result.ok()).isFalse();
      assertThat(result.errorType()).isEqualTo("IllegalArgumentException");
      assertThat(result.errorMessage()).isEqualTo("asked to fail: bad input");
      assertThat(fn.errors()).isEqualTo(1);
    }
  }

  @Test
  void abandonsAnInvocationPastItsTimeoutTogetherWithItsEnvironment() {
    try (LocalFunction fn = function("slow", Map.of("SLEEP_MILLIS", "3000"), 1, null)) {
      InvocationOutcome result = fn.invoke("{}");
      assertThat(result.errorType()).isEqualTo("Sandbox.Timedout");
      assertThat(result.errorMessage()).isEqualTo("Task timed out after 1 seconds");
      fn.invoke("{}");
      assertThat(TestHandlers.CONSTRUCTED.get("slow").get()).isEqualTo(2);
    }
  }

  @Test
  void neverRunsMoreThanItsReservedConcurrency() throws Exception {
    try (LocalFunction fn = function("capped", Map.of("SLEEP_MILLIS", "100"), 5, 2)) {
      var pool = Executors.newFixedThreadPool(6);
      List<Future<InvocationOutcome>> calls =
          IntStream.range(0, 6).mapToObj(i -> pool.submit(() -> fn.invoke("{}"))).toList();
      for (Future<InvocationOutcome> call : calls) {
        assertThat(call.get().ok()).isTrue();
      }
      pool.shutdown();
      assertThat(TestHandlers.MAX_RUNNING.get("capped").get()).isEqualTo(2);
      assertThat(fn.environments()).isEqualTo(2);
    }
  }

  @Test
  void reportsAFailingConstructorAsAnInitError() {
    try (LocalFunction fn = function("broken-init", Map.of("FAIL_INIT", "true"), 5, null)) {
      InvocationOutcome result = fn.invoke("{}");
      assertThat(result.errorType()).isEqualTo("InitError");
      assertThat(result.errorMessage()).contains("init refused by FAIL_INIT");
    }
  }

  @Test
  void injectsFaultsBeforeAndAfterTheHandler() {
    TestHandlers.reset("faulty");
    InvocationFaults.Fault[] next = {InvocationFaults.Fault.FAIL_BEFORE};
    try (LocalFunction fn =
        new LocalFunction(
            new LocalFunction.Spec("faulty", "arn", TestHandlers.Echo.class.getName(), Map.of(), 5, 128, null, false),
            Map.of(),
            new Semaphore(10),
            name -> next[0])) {
      InvocationOutcome before = fn.invoke("{\"n\":1}");
      assertThat(before.errorType()).isEqualTo("InjectedFault");
      assertThat(TestHandlers.SEEN.get("faulty")).isNull();
      next[0] = InvocationFaults.Fault.CRASH_AFTER;
      InvocationOutcome after = fn.invoke("{\"n\":2}");
      assertThat(after.errorType()).isEqualTo("InjectedFault");
      assertThat(TestHandlers.SEEN.get("faulty")).containsExactly(Map.of("n", 2));
    }
  }
}
