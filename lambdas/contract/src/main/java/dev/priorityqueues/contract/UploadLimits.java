package dev.priorityqueues.contract;

/** AWS limits the program and the functions both enforce, so configuration cannot exceed them. */
public final class UploadLimits {
  private UploadLimits() {}

  /** The largest object one S3 PUT (and so one presigned upload) can write: 5 GiB. */
  public static final long MAX_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024;

  /**
   * The longest presigned upload URL the system hands out, in seconds. SigV4 allows a week; a
   * short window limits what a leaked URL can do.
   */
  public static final int MAX_UPLOAD_URL_SECONDS = 900;

  /**
   * The longest JWT subject that can upload, in UTF-8 bytes: OpenID Connect Core (section 2) caps
   * {@code sub} at 255 ASCII characters, and API Gateway's JWT authorizer takes OIDC issuers. In
   * bytes, so any subject's upload folder ({@link Keys#folderOf}, at most 3 characters a byte)
   * keeps the upload key and its result key within S3's 1,024-byte key limit.
   */
  public static final int MAX_SUBJECT_BYTES = 255;

  /**
   * The most uploads a user may have in flight: presign checks every slot of a user at the
   * limit in one BatchGetItem, which takes at most 100 keys (DynamoDB API Reference, BatchGetItem).
   */
  public static final int MAX_QUOTA_UPLOADS_IN_FLIGHT = 100;

  /** The largest daily byte quota a user can be given: 1 PiB, far above any real plan. */
  public static final long MAX_QUOTA_BYTES_PER_DAY = 1L << 50;
}
