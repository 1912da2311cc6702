package dev.priorityqueues.infra.provider;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.deployment.Deployment;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.PriorityQueuesStack;
import dev.priorityqueues.infra.StackOutputs;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.config.InvalidConfigException;
import dev.priorityqueues.infra.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code priority-queues:index:PriorityQueues} as the component package serves it to other
 * languages ({@link Main}). Its inputs ({@link PriorityQueuesArgs}) become config text that the
 * program's own parser validates; it then creates the system, {@link dev.priorityqueues.infra.PriorityQueues},
 * as its one child, and gives back the same outputs (README, "Outputs").
 */
public final class PriorityQueues extends ComponentResource {
  @Export(name = StackOutputs.TIER_ORDER, refs = {List.class, String.class}, tree = "[0,1]")
  private final Output<List<String>> tierOrder;
  @Export(name = StackOutputs.QUEUE_URLS, refs = {Map.class, String.class}, tree = "[0,1,1]")
  private final Output<Map<String, String>> queueUrls;
  @Export(name = StackOutputs.QUEUE_ARNS, refs = {Map.class, String.class}, tree = "[0,1,1]")
  private final Output<Map<String, String>> queueArns;
  @Export(name = StackOutputs.DLQ_URLS, refs = {Map.class, String.class}, tree = "[0,1,1]")
  private final Output<Map<String, String>> dlqUrls;
  @Export(name = StackOutputs.DLQ_ARNS, refs = {Map.class, String.class}, tree = "[0,1,1]")
  private final Output<Map<String, String>> dlqArns;
  @Export(name = StackOutputs.BUCKET_NAME, refs = String.class)
  private final Output<String> bucketName;
  @Export(name = StackOutputs.UPLOAD_ENDPOINT, refs = String.class)
  private final Output<String> uploadEndpoint;
  @Export(name = StackOutputs.VIDEOS_TABLE_NAME, refs = String.class)
  private final Output<String> videosTableName;
  @Export(name = StackOutputs.USERS_TABLE_NAME, refs = String.class)
  private final Output<String> usersTableName;
  @Export(name = StackOutputs.DASHBOARD_NAME, refs = String.class)
  private final Output<String> dashboardName;
  @Export(name = StackOutputs.EVENTS_DLQ_URL, refs = String.class)
  private final Output<String> eventsDlqUrl;
  @Export(name = StackOutputs.FLOW, refs = String.class)
  private final Output<String> flow;
  @Export(name = StackOutputs.COMPLETION_EVENT_SOURCE, refs = String.class)
  private final Output<String> completionEventSource;
  @Export(name = StackOutputs.COMPLETION_EVENT_DETAIL_TYPES, refs = {Map.class, String.class}, tree = "[0,1,1]")
  private final Output<Map<String, String>> completionEventDetailTypes;
  @Export(name = StackOutputs.COMPLETION_EVENT_BUS_ARN, refs = String.class)
  private final Output<String> completionEventBusArn;
  @Export(name = StackOutputs.QUOTAS_TABLE_NAME, refs = String.class)
  private final Output<String> quotasTableName;

  /** The one constructor the component provider calls (it requires exactly one). */
  public PriorityQueues(String name, PriorityQueuesArgs args, ComponentResourceOptions options) {
    super(dev.priorityqueues.infra.components.Component.TYPE_PREFIX + dev.priorityqueues.infra.PriorityQueues.TYPE,
        name, options);
    Settings settings = Settings.parse(config(args), Path.of(args.codeRoot()));
    String stack = Deployment.getInstance().getStackName();
    var system = new dev.priorityqueues.infra.PriorityQueues(name,
        dev.priorityqueues.infra.PriorityQueuesArgs.forStack(settings, stack).named(name, stack),
        ComponentResourceOptions.builder().parent(this).build());
    tierOrder = system.tierOrder();
    queueUrls = system.queueUrls();
    queueArns = system.queueArns();
    dlqUrls = system.dlqUrls();
    dlqArns = system.dlqArns();
    bucketName = system.bucketName();
    uploadEndpoint = system.uploadEndpoint();
    videosTableName = system.videosTableName();
    usersTableName = system.usersTableName();
    dashboardName = system.dashboardName();
    eventsDlqUrl = system.eventsDlqUrl();
    flow = system.flow();
    completionEventSource = system.completionEventSource();
    completionEventDetailTypes = system.completionEventDetailTypes();
    completionEventBusArn = system.completionEventBusArn();
    quotasTableName = system.quotasTableName();
    registerOutputs(system.outputs());
  }

  /** The inputs as raw config text, keyed as in a stack's config: one parser for every edge. */
  static Map<String, String> config(PriorityQueuesArgs args) {
    Map<String, String> raw = new LinkedHashMap<>();
    if (!args.config().isBlank()) {
      JsonNode config;
      try {
        config = JsonSupport.read(args.config());
      } catch (JsonProcessingException e) {
        throw new InvalidConfigException(List.of("config must be a JSON object of config keys to their text: "
            + e.getOriginalMessage()));
      }
      if (!config.isObject()) {
        throw new InvalidConfigException(List.of("config must be a JSON object of config keys to their text"));
      }
      // Scalars as their text, lists and maps as JSON: the form a stack's config has.
      config.fields().forEachRemaining(e -> raw.put(e.getKey(),
          e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
    }
    raw.put(ConfigKey.TIERS.key(), JsonSupport.write(args.tiers().stream().map(PriorityQueuesArgs.TierArgs::toConfig).toList()));
    if (args.jwtIssuer() != null) {
      raw.put("jwtIssuer", args.jwtIssuer());
    }
    raw.put("jwtAudience", JsonSupport.write(args.jwtAudience()));
    if (args.codeRoot() != null) {
      raw.put(ConfigKey.CODE_ROOT.key(), args.codeRoot());
    }
    return raw;
  }

  public Output<List<String>> tierOrder() {
    return tierOrder;
  }

  public Output<Map<String, String>> queueUrls() {
    return queueUrls;
  }

  public Output<String> uploadEndpoint() {
    return uploadEndpoint;
  }
}
