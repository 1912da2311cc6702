package dev.priorityqueues.presign;

import dev.priorityqueues.contract.ContentTypes;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Limits;
import dev.priorityqueues.contract.Scopes;
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
    List<String> requiredScopes,
    String quotasTable,
    int maxUploadsInFlight,
    long maxBytesPerDay) {

  static PresignConfig from(EnvReader env) {
    Duration urlExpiry = Duration.ofSeconds(env.intValue(
        FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS, Limits.MAX_UPLOAD_URL_SECONDS, 1, Limits.MAX_UPLOAD_URL_SECONDS));
    Duration pendingTtl = Duration.ofSeconds(
        env.longValue(FunctionEnv.PENDING_UPLOAD_TTL_SECONDS, Duration.ofDays(1).toSeconds(), 1, Duration.ofDays(365).toSeconds()));
    if (pendingTtl.compareTo(urlExpiry) < 0) {
      throw new ContractException(FunctionEnv.PENDING_UPLOAD_TTL_SECONDS + " (" + pendingTtl.toSeconds()
          + " s) must be at least " + FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS + " (" + urlExpiry.toSeconds()
          + " s), or a record could expire while its URL still works");
    }
    List<String> types = env.list(FunctionEnv.UPLOAD_CONTENT_TYPES);
    List<String> scopes = env.list(FunctionEnv.JWT_SCOPES);
    if (scopes.isEmpty() || scopes.size() > Scopes.MAX_SCOPES
        || !scopes.stream().allMatch(s -> Scopes.TOKEN.matcher(s).matches())) {
      throw new ContractException(FunctionEnv.JWT_SCOPES + " must list 1 to " + Scopes.MAX_SCOPES
          + " OAuth scopes (the program sets it from jwtScopes), not '" + env.optional(FunctionEnv.JWT_SCOPES).orElse("") + "'");
    }
    long maxBytes = env.requireLong(FunctionEnv.UPLOAD_MAX_BYTES, 1, Limits.MAX_UPLOAD_BYTES);
    // Required, like the upload limit: the program always sets them, from config with defaults.
    long bytesPerDay = env.requireLong(FunctionEnv.QUOTA_BYTES_PER_DAY, maxBytes, Limits.MAX_QUOTA_BYTES_PER_DAY);
    long inFlight = env.requireLong(FunctionEnv.QUOTA_UPLOADS_IN_FLIGHT, 1, Limits.MAX_QUOTA_UPLOADS_IN_FLIGHT);
    return new PresignConfig(
        env.require(FunctionEnv.BUCKET),
        env.require(FunctionEnv.VIDEOS_TABLE),
        maxBytes,
        types.isEmpty() ? ContentTypes.known() : ContentTypes.requireKnown(types, FunctionEnv.UPLOAD_CONTENT_TYPES),
        urlExpiry,
        pendingTtl,
        List.copyOf(scopes),
        env.require(FunctionEnv.QUOTAS_TABLE),
        (int) inFlight,
        bytesPerDay);
  }
}
