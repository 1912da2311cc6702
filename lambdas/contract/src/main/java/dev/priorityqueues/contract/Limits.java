package dev.priorityqueues.contract;

/** AWS limits the program and the functions both enforce, so configuration cannot exceed them. */
public final class Limits {
  private Limits() {}

  /** The largest object one S3 PUT (and so one presigned upload) can write: 5 GiB. */
  public static final long MAX_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024;

  /**
   * The longest presigned upload URL the system hands out, in seconds. SigV4 allows a week; a
   * short window limits what a leaked URL can do.
   */
  public static final int MAX_UPLOAD_URL_SECONDS = 900;
}
