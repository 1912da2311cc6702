package dev.priorityqueues.examples.embed;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import dev.priorityqueues.infra.PriorityQueues;
import dev.priorityqueues.infra.PriorityQueuesArgs;
import dev.priorityqueues.infra.config.Settings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Another team's Pulumi program that embeds the whole priority-queues system as one component,
 * with settings of its own instead of the priority-queues stack config: three tiers, the
 * inspect processor (no FFmpeg layer) and its own identity provider.
 */
public final class VideoPlatform {
  private VideoPlatform() {}

  /** This program's settings, as the config text priority-queues' parser takes (it validates them). */
  static final Map<String, String> SETTINGS = Map.of(
      "tiers", """
          [{"name":"gold","subscriptions":["enterprise"],"maxConcurrency":20},
           {"name":"silver","subscriptions":["team"],"maxConcurrency":10,"maxReceiveCount":3},
           {"name":"bronze","subscriptions":["free"],"maxConcurrency":4}]""",
      "workerProcessor", "inspect",
      "jwtIssuer", "https://login.example.com/",
      "jwtAudience", "video-platform",
      "protectData", "false");

  public static void main(String[] args) {
    // The function archives are priority-queues' build outputs: point at its checkout.
    Path codeRoot = Path.of(System.getProperty("priorityQueues.codeRoot", "../.."));
    Pulumi.run(ctx -> define(ctx, codeRoot));
  }

  /** The program's resources: one PriorityQueues named "video", and the outputs this team needs. */
  static PriorityQueues define(Context ctx, Path codeRoot) {
    Settings settings = Settings.parse(SETTINGS, codeRoot);
    PriorityQueuesArgs args = PriorityQueuesArgs.forStack(settings, ctx.stackName()).named("video", ctx.stackName());
    PriorityQueues video = new PriorityQueues("video", args, null);
    ctx.export("videoUploadEndpoint", video.uploadEndpoint());
    ctx.export("videoQueueUrls", video.queueUrls());
    ctx.export("videoDashboard", video.dashboardName());
    return video;
  }
}
