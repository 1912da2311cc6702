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

  /** What an SDK read's exception means for the job. */
  static RuntimeException onGet(S3Exception e, String key) {
    if (e instanceof NoSuchKeyException || e.statusCode() == 404) {
      return new PermanentFailure("the object " + key + " no longer exists", e);
    }
    return e;
  }

  /** What an FFmpeg failure reading {@code key} means: a failure for good, or one worth a retry. */
  static RuntimeException onFfmpegInput(Ffmpeg.Failed e, String key) {
    if (MISSING.matcher(e.reason()).find()) {
      return new PermanentFailure("the object " + key + " no longer exists", e);
    }
    if (TRANSIENT.matcher(e.reason()).find()) {
      return new IllegalStateException("reading " + key + " failed: " + e.reason(), e);
    }
    return null;
  }
}
