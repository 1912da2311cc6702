package dev.priorityqueues.common;

import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.RejectedInputs;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Removes an upload that will never be processed (REJECTED, ORPHANED, FAILED for good), as
 * {@code rejectedInputs} says: deletes the version the pipeline admitted, or copies it under
 * {@code quarantine/} first. Deleting by version id removes the bytes for good; a delete without
 * one would only add a delete marker and keep them as a noncurrent version. Both steps are safe
 * to repeat: deleting a version that is gone succeeds, and a copy whose source is gone reports
 * {@link Disposition#GONE}.
 */
public final class InputDisposal {

  /** What was done, as the record's {@code inputDisposition} holds it. */
  public enum Disposition { DELETED, QUARANTINED, GONE }

  /** The outcome: what was done, and where the input went when it was quarantined. */
  public record Result(Disposition disposition, String quarantineKey) {}

  private final Supplier<S3Client> s3;
  private final String bucket;
  private final RejectedInputs mode;

  /**
   * {@code s3} is asked for the client on the first disposal only: a function that never
   * disposes of an input (most invocations) never builds an S3 client for it.
   */
  public InputDisposal(Supplier<S3Client> s3, String bucket, RejectedInputs mode) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  /** The object or version is not there (the bucket is: a missing bucket is a real error). */
  private static boolean missing(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() == 404 && ("NoSuchKey".equals(code) || "NoSuchVersion".equals(code));
  }

  public RejectedInputs mode() {
    return mode;
  }

  /**
   * Disposes of {@code videoKey} at {@code versionId} (null: the current version, for a bucket
   * without versioning, which this program never makes). {@code again} says an earlier delivery
   * may have disposed of it already: then a copy whose source is gone or hidden (S3 answers 403
   * instead of 404 to a role that may not list the bucket) is {@link Disposition#GONE}.
   *
   * @throws S3Exception on any other refusal or failure; the caller retries
   */
  public Result dispose(String videoKey, String versionId, boolean again) {
    String quarantineKey = null;
    if (mode == RejectedInputs.QUARANTINE) {
      quarantineKey = Keys.quarantineKey(videoKey);
      String destination = quarantineKey;
      try {
        s3.get().copyObject(b -> b.sourceBucket(bucket).sourceKey(videoKey).sourceVersionId(versionId)
            .destinationBucket(bucket).destinationKey(destination));
      } catch (S3Exception e) {
        if (missing(e) || (again && e.statusCode() == 403)) {
          return new Result(Disposition.GONE, null);
        }
        throw e;
      }
    }
    try {
      s3.get().deleteObject(b -> b.bucket(bucket).key(videoKey).versionId(versionId));
    } catch (S3Exception e) {
      // S3 answers 204 for a version that is gone; a server that says 404 means the same.
      if (quarantineKey != null || !missing(e)) {
        throw e;
      }
      return new Result(Disposition.GONE, null);
    }
    return new Result(quarantineKey == null ? Disposition.DELETED : Disposition.QUARANTINED, quarantineKey);
  }
}
