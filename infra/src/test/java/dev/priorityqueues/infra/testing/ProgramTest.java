package dev.priorityqueues.infra.testing;

import com.pulumi.test.PulumiTest;
import org.junit.jupiter.api.AfterEach;

/** Base of the tests that run the program: Pulumi's test runtime is global, so reset it after each. */
public abstract class ProgramTest {
  @AfterEach
  void cleanUpPulumi() {
    PulumiTest.cleanup();
  }
}
