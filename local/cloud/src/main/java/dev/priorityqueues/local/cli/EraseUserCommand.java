package dev.priorityqueues.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.priorityqueues.local.cloud.UserErasure;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * {@code ./pq erase-user <userId>}: removes one user's records and objects from a deployed stack
 * (its outputs, the caller's AWS credentials) or the running local cloud, and says what it
 * removed. The work is {@link UserErasure}'s.
 */
@Command(name = "erase-user", mixinStandardHelpOptions = true,
    description = "Remove one user's video records, users item, quota counters and every version of their objects"
        + " (uploads/, processed/, quarantine/), and report what was removed.")
public final class EraseUserCommand implements Callable<Integer> {

  @CommandLine.Mixin DlqCommand.Target target = new DlqCommand.Target();
  @Parameters(index = "0", description = "The user id: the exact JWT subject their uploads were made with.") String userId;
  @Option(names = "--dry-run", description = "Only report what would be removed.") boolean dryRun;
  @Option(names = "--yes", description = "Do not ask for confirmation.") boolean yes;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DlqCommand.Target.Resolved stack = target.resolve();
    JsonNode outputs = stack.outputs();
    for (String name : new String[] {"bucketName", "videosTableName", "usersTableName", "quotasTableName"}) {
      if (outputs == null || !outputs.hasNonNull(name)) {
        throw new IllegalArgumentException("the stack outputs have no '" + name + "'; is this a priority-queues stack"
            + " deployed by this version?");
      }
    }
    UserErasure.Stack names = new UserErasure.Stack(outputs.get("bucketName").asText(),
        outputs.get("videosTableName").asText(), outputs.get("usersTableName").asText(),
        outputs.get("quotasTableName").asText());
    if (!dryRun && !yes && !Console.confirmed(out, String.format("This removes every record and object of user '%s'"
        + " from bucket %s for good. Type the user id to confirm: ", userId, names.bucket()), userId,
        "nothing was removed")) {
      return 1;
    }
    Region region = region(outputs, stack.environment());
    try (DynamoDbClient dynamoDb = configure(DynamoDbClient.builder(), stack.environment(), "AWS_ENDPOINT_URL_DYNAMODB", region).build();
        S3Client s3 = configure(S3Client.builder(), stack.environment(), "AWS_ENDPOINT_URL_S3", region)
            .forcePathStyle(stack.environment().containsKey("AWS_ENDPOINT_URL_S3")).build()) {
      UserErasure.Report report = new UserErasure(dynamoDb, s3, names, Clock.systemUTC()).erase(userId, dryRun);
      String verb = dryRun ? "Would remove" : "Removed";
      out.printf("%s for user '%s':%n", verb, userId);
      out.printf("  video records      %d%n", report.videoRecords().size());
      report.videoRecords().forEach(key -> out.printf("    %s%n", key));
      report.objectVersions().forEach((prefix, n) -> out.printf("  object versions    %d under %s%n", n, prefix));
      out.printf("  users item         %d%n", report.userItems());
      out.printf("  quota counters     %d%n", report.quotaCounters());
      out.printf("Their log lines carry userId %s (hashed logs) and expire with the log groups' retention.%n",
          report.logPseudonym());
      if (dryRun) {
        out.println("Dry run: nothing was removed.");
      }
    }
    out.flush();
    return 0;
  }

  private Region region(JsonNode outputs, Map<String, String> environment) {
    if (environment.containsKey("AWS_REGION")) {
      return Region.of(environment.get("AWS_REGION"));
    }
    if (target.region != null) {
      return Region.of(target.region);
    }
    String fromEnv = System.getenv("AWS_REGION");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Region.of(fromEnv);
    }
    // A queue ARN names the stack's region: arn:aws:sqs:<region>:<account>:<name>.
    return Region.of(outputs.get("dlqArns").elements().next().asText().split(":")[3]);
  }

  /** Local endpoints and keys when the local cloud is the target; else the SDK's default credentials. */
  private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
      & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>> B configure(
      B builder, Map<String, String> environment, String endpointVariable, Region region) {
    builder.httpClient(UrlConnectionHttpClient.create()).region(region);
    if (environment.containsKey(endpointVariable)) {
      builder.endpointOverride(URI.create(environment.get(endpointVariable)))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
              environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))));
    }
    return builder;
  }
}
