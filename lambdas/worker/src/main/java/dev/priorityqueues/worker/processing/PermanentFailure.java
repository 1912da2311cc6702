package dev.priorityqueues.worker.processing;

/**
 * A job that can never succeed, however often it is retried (the object is not a video, or is
 * gone). The worker marks the video FAILED with this message and acknowledges the message.
 * Every other exception from a processor counts as transient and is retried.
 */
public class PermanentFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PermanentFailure(String message) {
    super(message);
  }

  public PermanentFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
