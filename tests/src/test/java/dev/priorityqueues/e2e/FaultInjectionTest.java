package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.local.faults.FaultPlan;
import dev.priorityqueues.local.faults.FaultRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The nothing-lost accounting at test size: a fixed seed, fault rates high enough that every kind
 * of fault happens, and every upload must end DONE exactly once or, if poisoned, in a DLQ with
 * its reason. `./pq faults` runs the same at full size (5,000 uploads).
 */
class FaultInjectionTest {

  @Test
  void nothingIsLostAndNothingIsDoneTwice() throws Exception {
    FaultPlan.Rates rates = new FaultPlan.Rates(0.10, 0.05, 0.04, 0.10, 0.05, 0.05);
    FaultRun.Accounting a = FaultRun.run(
        // A 3 s worker timeout: crashed invocations' messages are back in 18 s rather than 30 s.
        new FaultRun.Options("dev", 150, 11, rates, 6, Duration.ofMinutes(3), 3), n -> {}, n -> {});

    assertThat(a.problems()).isEmpty();
    assertThat(a.lost()).isZero();
    assertThat(a.doubleEffects()).isZero();
    assertThat(a.poisonInjected()).isPositive();
    assertThat(a.poisonInDlqWithReason()).isEqualTo(a.poisonInjected());
    assertThat(a.done()).isEqualTo(a.uploads() - a.poisonInjected());
    assertThat(a.completions()).isEqualTo(a.done());
    assertThat(a.resultObjects()).isEqualTo(a.done());
    // Every kind of fault really happened, so the accounting above was tested against all of them.
    // (Invocation-level worker faults depend on how many invocations the drain leaves; the
    // job-level one below always has work to hit.)
    assertThat(a.faults().keySet()).contains(
        "transient failure: presign", "transient failure: router",
        "worker failure after writing its result, before recording DONE", "poison job",
        "router failure between its DynamoDB update and the send",
        "router failure after the send, before its DynamoDB update");
    assertThat(a.duplicatedEvents()).isPositive();
  }
}
