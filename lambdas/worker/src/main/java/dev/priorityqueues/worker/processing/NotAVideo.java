package dev.priorityqueues.worker.processing;

/** The object is not an MP4, MOV or WebM video, as its bytes show; the message says why. */
public final class NotAVideo extends PermanentFailure {
  private static final long serialVersionUID = 1L;

  public NotAVideo(String message) {
    super("not a video: " + message);
  }
}
