package dev.priorityqueues.worker.processing;

import dev.priorityqueues.contract.Job;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * The exact upload a job may read: the key, and the version id (or, in a bucket without
 * versioning, the ETag) S3's event reported when the router admitted it. Every read the worker
 * makes of the upload is pinned to it, so bytes written to the key afterwards (a replayed URL is
 * refused, but an overwrite made outside the URL is not) never reach the job: the version the
 * size check admitted is the one transcoded, and ranged reads can never mix two versions.
 *
 * @param ifMatch the quoted ETag for {@code If-Match}, or null when the version id pins the read
 */
record UploadVersion(String key, String versionId, String ifMatch) {

  static UploadVersion of(Job job) {
    String versionId = job.versionId();
    String eTag = job.eTag();
    String ifMatch = versionId == null && eTag != null ? (eTag.startsWith("\"") ? eTag : "\"" + eTag + "\"") : null;
    return new UploadVersion(job.videoKey(), versionId, ifMatch);
  }

  /** An unpinned read of whatever the key holds (tests and tools that write their own objects). */
  static UploadVersion latest(String key) {
    return new UploadVersion(key, null, null);
  }

  GetObjectRequest.Builder pin(GetObjectRequest.Builder request) {
    request.key(key);
    if (versionId != null) {
      request.versionId(versionId);
    }
    if (ifMatch != null) {
      request.ifMatch(ifMatch);
    }
    return request;
  }

  /** How the pinned read is named in a failure reason. */
  String describe() {
    if (versionId != null) {
      return key + " (version " + versionId + ")";
    }
    return ifMatch != null ? key + " (ETag " + ifMatch + ")" : key;
  }
}
