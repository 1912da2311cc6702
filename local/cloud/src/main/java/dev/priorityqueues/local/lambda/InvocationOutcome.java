package dev.priorityqueues.local.lambda;

/**
 * The outcome of one local invocation, as Lambda reports it: the response JSON, or the error
 * type and message; whether it started a new execution environment; and its timings.
 */
public record InvocationOutcome(
    String requestId,
    String response,
    String errorType,
    String errorMessage,
    boolean coldStart,
    long initNanos,
    long durationNanos) {

  public boolean ok() {
    return errorType == null;
  }

  static InvocationOutcome failed(String requestId, String errorType, String message, boolean cold, long init, long duration) {
    return new InvocationOutcome(requestId, null, errorType, message, cold, init, duration);
  }
}
