package dev.priorityqueues.local.lambda;

/** Decides, per invocation, whether the local runtime injects a fault. */
@FunctionalInterface
public interface InvocationFaults {

  enum Fault {
    /** Run normally. */
    NONE,
    /** Fail before the handler runs, as a transient runtime or handler error would. */
    FAIL_BEFORE,
    /** Run the handler, then lose its response: the side effects happened, the caller sees a crash. */
    CRASH_AFTER
  }

  InvocationFaults NONE = function -> Fault.NONE;

  Fault decide(String function);
}
