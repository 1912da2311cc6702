package dev.priorityqueues.local.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A function's role goes with the threads its code starts (the worker uploads its outputs on
 * virtual threads), while the driver's threads stay the driver's.
 */
class CallerTest {

  @Test
  void threadsAFunctionStartsCallAsThatFunction() throws Exception {
    Caller worker = Caller.function("worker-function");
    Caller onItsThread = worker.call(() -> {
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        return pool.submit(Caller::current).get();
      }
    });
    assertThat(onItsThread).isEqualTo(worker);

    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      assertThat(pool.submit(Caller::current).get()).isEqualTo(Caller.DRIVER);
    }
    assertThat(Caller.current()).as("restored after the call").isEqualTo(Caller.DRIVER);
  }
}
