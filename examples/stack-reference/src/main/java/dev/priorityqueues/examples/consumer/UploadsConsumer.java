package dev.priorityqueues.examples.consumer;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import com.pulumi.resources.StackReference;
import java.util.List;
import java.util.Map;

/**
 * Another stack's Pulumi Java program that reads a deployed priority-queues stack's outputs
 * (README, "Outputs") with a {@link StackReference}: the upload endpoint for its clients, the
 * highest tier's queue, and the completion events it subscribes to.
 */
public final class UploadsConsumer {
  private UploadsConsumer() {}

  public static void main(String[] args) {
    // <organization>/<project>/<stack> of the deployed priority-queues stack.
    String stack = System.getProperty("priorityQueues.stack", "my-org/priority-queues/production");
    Pulumi.run(ctx -> define(ctx, stack));
  }

  static void define(Context ctx, String stack) {
    var pq = new StackReference(stack);
    Output<String> uploads = pq.requireOutput("uploadEndpoint").applyValue(String::valueOf);
    // tierOrder is highest first; queueUrls is keyed by tier name.
    Output<String> topQueue = Output.tuple(pq.requireOutput("tierOrder"), pq.requireOutput("queueUrls"))
        .applyValue(t -> String.valueOf(((Map<?, ?>) t.t2).get(((List<?>) t.t1).get(0))));
    Output<String> processed = pq.requireOutput("completionEventDetailTypes")
        .applyValue(types -> String.valueOf(((Map<?, ?>) types).get("DONE")));
    ctx.export("uploadsUrl", uploads);
    ctx.export("topTierQueueUrl", topQueue);
    ctx.export("processedDetailType", processed);
  }
}
