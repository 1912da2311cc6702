package dev.priorityqueues.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.local.cloud.DeadLetters;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code ./pq dlq}: the operator's tools for the tiers' dead-letter queues, against a deployed
 * stack (its outputs) or a running local cloud. Peeking never consumes; redriving uses SQS's own
 * message move task; purging asks for confirmation.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = "List, peek at, redrive or purge the tiers' dead-letter queues.",
    subcommands = {DlqCommand.ListDlqs.class, DlqCommand.Peek.class, DlqCommand.Redrive.class, DlqCommand.Purge.class})
public final class DlqCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: list, peek, redrive or purge");
  }

  /** Where the stack is: a stack's outputs file, a Pulumi stack, or the running local cloud. */
  static final class Target {
    @Option(names = "--outputs", description = "A file written by `pulumi stack output --json`.")
    Path outputs;

    @Option(names = "--stack", description = "A Pulumi stack: its outputs are read with `pulumi stack output --json`.")
    String stack;

    @Option(names = "--local", description = "The local cloud started by `./pq up`.")
    boolean local;

    @Option(names = "--local-stack", hidden = true, description = "Where `./pq up` described the local cloud.")
    Path localStack = UpCommand.stackFile();

    @Option(names = "--region", description = "AWS region for a deployed stack (default: AWS_REGION, or the region in the queue ARNs).")
    String region;

    Stack open() throws IOException, InterruptedException {
      Resolved resolved = resolve();
      return Stack.of(resolved.outputs(), resolved.environment(), region);
    }

    /** The stack's outputs, and for the local cloud the endpoints and keys that reach it (else empty). */
    record Resolved(JsonNode outputs, Map<String, String> environment) {}

    Resolved resolve() throws IOException, InterruptedException {
      int chosen = (outputs != null ? 1 : 0) + (stack != null ? 1 : 0) + (local ? 1 : 0);
      if (chosen != 1) {
        throw new IllegalArgumentException("name exactly one target: --outputs FILE, --stack NAME or --local");
      }
      ObjectMapper json = new ObjectMapper();
      JsonNode outputsJson;
      Map<String, String> environment = Map.of();
      if (local) {
        if (!Files.isRegularFile(localStack)) {
          throw new IllegalArgumentException("no local cloud is running: start one with `./pq up` (" + localStack + " is missing)");
        }
        JsonNode file = json.readTree(localStack.toFile());
        outputsJson = file.get("outputs");
        Map<String, String> env = new LinkedHashMap<>();
        file.get("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        environment = env;
      } else if (outputs != null) {
        outputsJson = json.readTree(outputs.toFile());
      } else {
        Process process = new ProcessBuilder("pulumi", "stack", "output", "--json", "--stack", stack).redirectErrorStream(false).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw new IllegalArgumentException("`pulumi stack output --json --stack " + stack + "` failed: "
              + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        outputsJson = json.readTree(text);
      }
      return new Resolved(outputsJson, environment);
    }
  }

  /** The queues of one stack, and a client that reaches them. */
  record Stack(List<String> tiers, Map<String, String> dlqUrls, Map<String, String> dlqArns, Map<String, String> queueArns, SqsClient sqs)
      implements AutoCloseable {

    static Stack of(JsonNode outputs, Map<String, String> environment, String region) {
      for (String name : List.of("tierOrder", "dlqUrls", "dlqArns", "queueArns")) {
        if (outputs == null || !outputs.has(name)) {
          throw new IllegalArgumentException("the stack outputs have no '" + name + "'; is this a priority-queues stack?");
        }
      }
      List<String> tiers = new ArrayList<>();
      outputs.get("tierOrder").forEach(t -> tiers.add(t.asText()));
      SqsClientBuilder builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
      if (environment.containsKey("AWS_ENDPOINT_URL_SQS")) {
        builder.endpointOverride(URI.create(environment.get("AWS_ENDPOINT_URL_SQS")))
            .region(Region.of(environment.get("AWS_REGION")))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))));
      } else {
        String fromArn = outputs.get("dlqArns").elements().next().asText().split(":")[3];
        builder.region(Region.of(region != null ? region : System.getenv().getOrDefault("AWS_REGION", fromArn)));
      }
      return new Stack(tiers, map(outputs.get("dlqUrls")), map(outputs.get("dlqArns")), map(outputs.get("queueArns")), builder.build());
    }

    String dlqUrl(String tier) {
      String url = dlqUrls.get(tier);
      if (url == null) {
        throw new IllegalArgumentException("no tier '" + tier + "'; tiers are " + tiers);
      }
      return url;
    }

    Map<String, String> depth(String tier) {
      return sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl(tier)).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
          .attributesAsStrings();
    }

    int visible(String tier) {
      return Integer.parseInt(depth(tier).get("ApproximateNumberOfMessages"));
    }

    @Override
    public void close() {
      sqs.close();
    }

    private static Map<String, String> map(JsonNode node) {
      Map<String, String> out = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      return out;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Each tier's DLQ depth.")
  static final class ListDlqs implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (Stack stack = target.open()) {
        out.printf("%-12s %8s %9s  %s%n", "TIER", "VISIBLE", "IN FLIGHT", "DLQ");
        for (String tier : stack.tiers()) {
          Map<String, String> depth = stack.depth(tier);
          out.printf("%-12s %8s %9s  %s%n", tier, depth.get("ApproximateNumberOfMessages"),
              depth.get("ApproximateNumberOfMessagesNotVisible"), stack.dlqUrl(tier));
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "peek", mixinStandardHelpOptions = true,
      description = "Show messages of a tier's DLQ with their failure reason and receive count, without consuming them.")
  static final class Peek implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();
    @Parameters(index = "0", description = "The tier.") String tier;
    @Option(names = "--max", defaultValue = "10", description = "Most messages to show, 1 to 100 (default: ${DEFAULT-VALUE}).") int max;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Console.requireRange(spec, "--max", max, 1, 100);
      PrintWriter out = spec.commandLine().getOut();
      try (Stack stack = target.open()) {
        List<Message> messages = DeadLetters.peek(stack.sqs(), stack.dlqUrl(tier), max);
        out.printf("%d message(s) in the %s DLQ (shown without consuming them):%n", messages.size(), tier);
        for (Message m : messages) {
          out.printf("%n  id        %s%n", m.messageId());
          out.printf("  sent      %s%n", Instant.ofEpochMilli(Long.parseLong(m.attributesAsStrings().getOrDefault("SentTimestamp", "0"))));
          out.printf("  reason    %s%n", attribute(m, MessageAttributes.FAILURE_REASON,
              "(none: moved by the queue's redrive policy after a crash or timeout)"));
          out.printf("  received  %s time(s) on its tier queue%n", attribute(m, MessageAttributes.RECEIVE_COUNT, "more than maxReceiveCount"));
          String body = m.body();
          out.printf("  body      %s%n", body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
      }
      out.flush();
      return 0;
    }

    private static String attribute(Message m, String name, String absent) {
      var value = m.messageAttributes().get(name);
      return value == null ? absent : value.stringValue();
    }
  }

  @Command(name = "redrive", mixinStandardHelpOptions = true,
      description = "Move a tier's DLQ messages back to the tier's queue with SQS's message move task.")
  static final class Redrive implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();
    @Parameters(index = "0", description = "The tier.") String tier;
    @Option(names = "--dry-run", description = "Only say what would move where.") boolean dryRun;
    @Option(names = "--rate", description = "Messages per second, 1 to 500 (default: as fast as SQS allows).") Integer rate;
    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for the move (default: ${DEFAULT-VALUE}).") int timeout;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (rate != null) {
        Console.requireRange(spec, "--rate", rate, 1, 500, "messages per second");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Stack stack = target.open()) {
        String source = stack.dlqArns().get(tier);
        String destination = stack.queueArns().get(tier);
        if (source == null || destination == null) {
          throw new IllegalArgumentException("no tier '" + tier + "'; tiers are " + stack.tiers());
        }
        int waiting = stack.visible(tier);
        if (dryRun) {
          out.printf("Dry run: %d message(s) would move from %s to %s%s. Nothing was moved.%n", waiting, source, destination,
              rate == null ? "" : " at " + rate + "/s");
          out.flush();
          return 0;
        }
        if (waiting == 0) {
          out.printf("The %s DLQ is empty: nothing to redrive.%n", tier);
          out.flush();
          return 0;
        }
        String handle = stack.sqs().startMessageMoveTask(b -> {
          b.sourceArn(source).destinationArn(destination);
          if (rate != null) {
            b.maxNumberOfMessagesPerSecond(rate);
          }
        }).taskHandle();
        out.printf("Moving %d message(s) from the %s DLQ back to its queue (task %s)%n", waiting, tier, handle);
        long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
        while (true) {
          ListMessageMoveTasksResultEntry task = stack.sqs().listMessageMoveTasks(b -> b.sourceArn(source).maxResults(1))
              .results().stream().findFirst().orElseThrow(() -> new IllegalStateException("the move task disappeared"));
          long moved = task.approximateNumberOfMessagesMoved() == null ? 0 : task.approximateNumberOfMessagesMoved();
          out.printf(Locale.ROOT, "  %s: %d moved (%d were waiting)%n", task.status(), moved, waiting);
          out.flush();
          if ("COMPLETED".equals(task.status())) {
            return 0;
          }
          if ("FAILED".equals(task.status()) || "CANCELLED".equals(task.status())) {
            out.printf("The move task ended %s: %s%n", task.status(), task.failureReason());
            out.flush();
            return 1;
          }
          if (System.nanoTime() > deadline) {
            out.printf("Still %s after %d s; it goes on in SQS. Check again with ./pq dlq list.%n", task.status(), timeout);
            out.flush();
            return 1;
          }
          Thread.sleep(500);
        }
      }
    }
  }

  @Command(name = "purge", mixinStandardHelpOptions = true,
      description = "Delete every message of a tier's DLQ, after confirmation.")
  static final class Purge implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();
    @Parameters(index = "0", description = "The tier.") String tier;
    @Option(names = "--yes", description = "Do not ask for confirmation.") boolean yes;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (Stack stack = target.open()) {
        String url = stack.dlqUrl(tier);
        int waiting = stack.visible(tier);
        if (!yes && !Console.confirmed(out, String.format("This deletes the %d message(s) in the %s DLQ for good."
            + " Type the tier name to confirm: ", waiting, tier), tier, "nothing was purged")) {
          return 1;
        }
        stack.sqs().purgeQueue(b -> b.queueUrl(url));
        out.printf("Purged the %s DLQ (%d message(s)).%n", tier, waiting);
      }
      out.flush();
      return 0;
    }
  }
}
