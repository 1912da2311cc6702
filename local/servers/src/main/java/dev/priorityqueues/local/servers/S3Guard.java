package dev.priorityqueues.local.servers;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides an S3 request before S3Proxy sees it, for what S3 checks and S3Proxy does not (the
 * local cloud's IAM enforcement of presigned URLs against the bucket policy). Set with {@link
 * LocalAws#s3Guard}; it stays across S3Proxy's restarts.
 */
@FunctionalInterface
public interface S3Guard {

  /** S3's error answer, as its XML error document. */
  record Refusal(int status, String code, String message) {}

  /**
   * @param path the request path, path-style ({@code /bucket/key}), percent-decoded
   * @param query the query parameters, decoded
   * @param ifNoneMatch the request's {@code If-None-Match} header, or null (S3's
   *     {@code s3:if-none-match} condition key)
   * @return empty to let the request through
   */
  Optional<Refusal> check(String method, String path, Map<String, List<String>> query, String ifNoneMatch);
}
