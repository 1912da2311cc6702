package dev.priorityqueues.local.deploy;

import java.util.List;
import java.util.Map;

/** What the program declared, as the local cloud recorded it while deploying. */
public final class Declared {
  private Declared() {}

  /** Every resource, with whether the local cloud emulates it and, if not, why. */
  public record Resource(String type, String name, boolean emulated, String note) {}

  public record Queue(String logicalName, String name, String url, String arn) {}

  public record Function(
      String logicalName,
      String name,
      String arn,
      String handler,
      Map<String, String> environment,
      int timeoutSeconds,
      int memoryMb,
      Integer reservedConcurrency,
      String roleArn,
      String deadLetterTargetArn,
      boolean snapStart) {}

  public record AsyncConfig(String function, int maximumRetryAttempts, String onFailureDestination) {}

  public record Mapping(
      String uuid,
      String eventSourceArn,
      String functionRef,
      int batchSize,
      int batchingWindowSeconds,
      Integer maximumConcurrency,
      boolean reportBatchItemFailures,
      boolean enabled,
      Integer minimumPollers,
      Integer maximumPollers) {}

  public record Rule(String name, String arn, String eventPattern, boolean enabled) {}

  public record Target(
      String rule, String targetId, String arn, Integer maximumRetryAttempts, Integer maximumEventAgeSeconds, String deadLetterArn) {}

  public record Authorizer(String id, String issuer, List<String> audiences) {}

  public record Integration(String id, String uri) {}

  public record Route(String routeKey, String target, String authorizationType, String authorizerId,
      List<String> authorizationScopes) {}

  /** An HTTP API's corsConfiguration. */
  public record ApiCors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
      List<String> exposeHeaders, boolean allowCredentials, Integer maxAge) {}

  /** One CORS rule of a bucket. */
  public record BucketCors(String bucket, List<String> allowedOrigins, List<String> allowedMethods,
      List<String> allowedHeaders, List<String> exposeHeaders, Integer maxAgeSeconds) {}

  public record RolePolicy(String role, String name, String document) {}

  /** A queue policy (resource: the queue's ARN) or bucket policy (the bucket's ARN). */
  public record ResourcePolicy(String resource, String document) {}
}
