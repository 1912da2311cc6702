package dev.priorityqueues.presign;

import dev.priorityqueues.common.http.RequiredScopes;
import dev.priorityqueues.contract.ContentTypes;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.UploadLimits;
import java.time.Duration;
import java.util.List;

/** Presign's configuration, read once from the function's environment. */
record PresignConfig(
    String bucket,
    String videosTable,
    long maxBytes,
    List<String> contentTypes,
    Duration urlExpiry,
    Duration pendingTtl,
    RequiredScopes requiredScopes,
    String quotasTable,
    int maxUploadsInFlight,
    long maxBytesPerDay) {

  static PresignConfig from(EnvReader env) {
    Duration urlExpiry = Duration.ofSeconds(env.intValue(
        FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS, UploadLimits.MAX_UPLOAD_URL_SECONDS, 1, UploadLimits.MAX_UPLOAD_URL_SECONDS));
    Duration pendingTtl = Duration.ofSeconds(
        env.longValue(FunctionEnv.PENDING_UPLOAD_TTL_SECONDS, Duration.ofDays(1).toSeconds(), 1, Duration.ofDays(365).toSeconds()));
    if (pendingTtl.compareTo(urlExpiry) < 0) {
      throw new ContractException(FunctionEnv.PENDING_UPLOAD_TTL_SECONDS + " (" + pendingTtl.toSeconds()
          + " s) must be at least " + FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS + " (" + urlExpiry.toSeconds()
          + " s), or a record could expire while its URL still works");
    }
    List<String> types = env.list(FunctionEnv.UPLOAD_CONTENT_TYPES);
    long maxBytes = env.requireLong(FunctionEnv.UPLOAD_MAX_BYTES, 1, UploadLimits.MAX_UPLOAD_BYTES);
    // Required, like the upload limit: the program always sets them, from config with defaults.
    long bytesPerDay = env.requireLong(FunctionEnv.QUOTA_BYTES_PER_DAY, maxBytes, UploadLimits.MAX_QUOTA_BYTES_PER_DAY);
    long inFlight = env.requireLong(FunctionEnv.QUOTA_UPLOADS_IN_FLIGHT, 1, UploadLimits.MAX_QUOTA_UPLOADS_IN_FLIGHT);
    return new PresignConfig(
        env.require(FunctionEnv.BUCKET),
        env.require(FunctionEnv.VIDEOS_TABLE),
        maxBytes,
        types.isEmpty() ? ContentTypes.known() : ContentTypes.requireKnown(types, FunctionEnv.UPLOAD_CONTENT_TYPES),
        urlExpiry,
        pendingTtl,
        RequiredScopes.from(env, "jwtScopes"),
        env.require(FunctionEnv.QUOTAS_TABLE),
        (int) inFlight,
        bytesPerDay);
  }
}
