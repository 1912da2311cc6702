package dev.priorityqueues.worker.processing;

import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 refused to read the upload (403). Transient on purpose: a denial is mended by a policy
 * change, after which a redrive finishes the job, where FAILED would end it for good. S3 also
 * answers a missing key with this 403 when the role may not list the bucket; the program grants
 * {@code s3:ListBucket} so that a deleted upload is a 404 ({@link PermanentFailure}) instead, and
 * the message says so for whoever reads the DLQ.
 */
final class UploadReadDenied extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UploadReadDenied(String key, S3Exception denied) {
    super("S3 denied reading " + key + " (" + denied.statusCode() + " "
        + (denied.awsErrorDetails() == null ? null : denied.awsErrorDetails().errorCode())
        + "): the role needs s3:GetObject on the object, and s3:ListBucket on the bucket for S3 to answer"
        + " a missing object with 404 rather than 403", denied);
  }
}
