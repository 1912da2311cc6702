package dev.priorityqueues.infra.provider;

import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The component package's inputs: what a TypeScript, Python, Go, .NET or YAML program passes to
 * {@code new PriorityQueues(...)}. They are the config keys under other clothes: the provider
 * turns them into config text and the same parser validates them ({@link PriorityQueues}).
 * Plain (not Output) values: the parser needs them before anything is created.
 */
public final class PriorityQueuesArgs extends ResourceArgs {
  /** The priority tiers, highest first (the {@code tiers} key). */
  @Import(name = "tiers", required = true)
  private List<TierArgs> tiers;

  /** The https URL of the JWT issuer (the {@code jwtIssuer} key). */
  @Import(name = "jwtIssuer", required = true)
  private String jwtIssuer;

  /** The audiences the upload API accepts (the {@code jwtAudience} key). */
  @Import(name = "jwtAudience", required = true)
  private List<String> jwtAudience;

  /**
   * Where the function archives are: a built checkout of priority-queues
   * ({@code lambdas/*}{@code /target/*.jar} and the FFmpeg layer zips below it).
   */
  @Import(name = "codeRoot", required = true)
  private String codeRoot;

  /**
   * Any other config key (README, "Configuration"): a JSON object of key to config text, such as
   * {@code {"flow":"queue-level","workerMemoryMb":"4096"}}. A JSON string, not a map: pulumi-java
   * 1.36.1's PropertyValueSerializer drops a map input's value type (it passes the raw Map class
   * on), so a {@code Map<String, String>} input cannot be deserialized.
   */
  @Import(name = "config")
  private String config;

  public PriorityQueuesArgs() {}

  public List<TierArgs> tiers() {
    return tiers == null ? List.of() : tiers;
  }

  public String jwtIssuer() {
    return jwtIssuer;
  }

  public List<String> jwtAudience() {
    return jwtAudience == null ? List.of() : jwtAudience;
  }

  public String codeRoot() {
    return codeRoot;
  }

  /** The {@code config} input as text; empty when not given. */
  public String config() {
    return config == null ? "" : config;
  }

  /** One tier: the fields of a {@code tiers} entry (README, "Each entry of tiers"). */
  public static final class TierArgs {
    @Import(name = "name", required = true)
    private String name;
    @Import(name = "subscriptions", required = true)
    private List<String> subscriptions;
    @Import(name = "maxConcurrency")
    private Integer maxConcurrency;
    @Import(name = "maxReceiveCount")
    private Integer maxReceiveCount;
    @Import(name = "batchSize")
    private Integer batchSize;
    @Import(name = "batchingWindowSeconds")
    private Integer batchingWindowSeconds;

    public TierArgs() {}

    /** The entry as the {@code tiers} key holds it; absent fields are left out, so the parser's defaults apply. */
    Map<String, Object> toConfig() {
      Map<String, Object> entry = new java.util.LinkedHashMap<>();
      entry.put("name", name);
      entry.put("subscriptions", subscriptions == null ? List.of() : subscriptions);
      Optional.ofNullable(maxConcurrency).ifPresent(v -> entry.put("maxConcurrency", v));
      Optional.ofNullable(maxReceiveCount).ifPresent(v -> entry.put("maxReceiveCount", v));
      Optional.ofNullable(batchSize).ifPresent(v -> entry.put("batchSize", v));
      Optional.ofNullable(batchingWindowSeconds).ifPresent(v -> entry.put("batchingWindowSeconds", v));
      return entry;
    }
  }
}
