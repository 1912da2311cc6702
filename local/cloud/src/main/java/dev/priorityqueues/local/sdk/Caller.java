package dev.priorityqueues.local.sdk;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Who is making the SDK calls on this thread: a function (its handler code), an event source
 * mapping's poller acting for a function, or the driver (demo, benchmark, tests). The local
 * cloud's SDK interceptor reads it to count calls, apply the SQS attribute lag, enforce IAM and
 * inject faults for the right party.
 */
public record Caller(Kind kind, String function) {

  public enum Kind {
    /** Handler code of a function. */
    FUNCTION,
    /** An event source mapping's poller; in AWS it uses the function's execution role. */
    POLLER,
    /** Anything else in this JVM: demo, benchmark, tests, the local cloud itself. */
    DRIVER
  }

  public static final Caller DRIVER = new Caller(Kind.DRIVER, null);

  /**
   * Inherited, as a function's role goes with every thread its code starts: the worker uploads
   * its outputs on virtual threads, and those calls are the function's (counted, IAM-checked and
   * fault-injected as such), not the driver's.
   */
  private static final InheritableThreadLocal<Caller> CURRENT = new InheritableThreadLocal<>() {
    @Override
    protected Caller initialValue() {
      return DRIVER;
    }
  };

  public Caller {
    Objects.requireNonNull(kind, "kind");
    if (kind != Kind.DRIVER) {
      Objects.requireNonNull(function, "function");
    }
  }

  public static Caller function(String name) {
    return new Caller(Kind.FUNCTION, name);
  }

  public static Caller poller(String function) {
    return new Caller(Kind.POLLER, function);
  }

  public static Caller current() {
    return CURRENT.get();
  }

  /** Runs {@code work} with this caller set on the current thread, restoring the previous one. */
  public <T> T call(Callable<T> work) throws Exception {
    Caller previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return work.call();
    } finally {
      CURRENT.set(previous);
    }
  }

  public <T> T run(Supplier<T> work) {
    Caller previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return work.get();
    } finally {
      CURRENT.set(previous);
    }
  }

  public void run(Runnable work) {
    run(
        () -> {
          work.run();
          return null;
        });
  }
}
