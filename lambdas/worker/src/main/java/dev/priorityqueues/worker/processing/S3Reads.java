package dev.priorityqueues.worker.processing;

import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * How a failed read of an upload is classified, in one place for the SDK's ranged reads and for
 * FFmpeg's presigned GET: a missing object fails the job for good, anything else may pass and
 * is retried. (Without s3:ListBucket, S3 answers a missing key with 403, not 404.)
 */
final class S3Reads {
  private S3Reads() {}

  /** FFmpeg's words for an HTTP input that failed in a way a retry may fix. */
  private static final Pattern TRANSIENT = Pattern.compile(
      "Server returned 5\\d\\d|Server returned 403|Connection refused|Connection reset|timed out|Input/output error"
          + "|Connection timed out|Network is unreachable|Temporary failure in name resolution");
  private static final Pattern MISSING = Pattern.compile("Server returned 404");
  private static final Pattern REPLACED = Pattern.compile("Server returned 412");

  /** What an SDK read's exception means for the job. */
  static RuntimeException onGet(S3Exception e, String key) {
    return onGet(e, UploadVersion.latest(key));
  }

  /**
   * As {@link #onGet(S3Exception, String)} for a pinned read: a missing version (removed by the
   * lifecycle's noncurrent-version expiry, or deleted) or an ETag that no longer matches fails
   * the job for good; the admitted bytes are gone and no retry brings them back.
   */
  static RuntimeException onGet(S3Exception e, UploadVersion upload) {
    if (e instanceof NoSuchKeyException || e.statusCode() == 404) {
      return new PermanentFailure("the object " + upload.describe() + " no longer exists", e);
    }
    if (e.statusCode() == 412) {
      return replaced(upload, e);
    }
    return e;
  }

  static PermanentFailure replaced(UploadVersion upload, Exception cause) {
    return new PermanentFailure("the object " + upload.describe() + " was replaced after it was uploaded;"
        + " only the uploaded bytes are processed", cause);
  }

  /** What an FFmpeg failure reading {@code key} means: a failure for good, or one worth a retry. */
  static RuntimeException onFfmpegInput(Ffmpeg.Failed e, String key) {
    if (MISSING.matcher(e.reason()).find()) {
      return new PermanentFailure("the object " + key + " no longer exists", e);
    }
    if (REPLACED.matcher(e.reason()).find()) {
      return new PermanentFailure("the object " + key + " was replaced after it was uploaded;"
          + " only the uploaded bytes are processed", e);
    }
    if (TRANSIENT.matcher(e.reason()).find()) {
      return new IllegalStateException("reading " + key + " failed: " + e.reason(), e);
    }
    return null;
  }
}
