package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.LocalStacks;
import dev.priorityqueues.local.cloud.Uploader;
import dev.priorityqueues.local.cloud.Videos;
import dev.priorityqueues.local.sdk.CallHook;
import dev.priorityqueues.local.sdk.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Shared steps of the end-to-end suites: start the dev stack locally, seed, upload, wait. */
final class E2e {
  private E2e() {}

  /** The dev stack, deployed locally with {@code overrides} applied to its config. */
  static LocalCloud start(Map<String, String> overrides, UnaryOperator<LocalCloud.Options> tweak) {
    Settings settings = LocalStacks.settings(LocalStacks.projectDir(), "dev", overrides);
    return LocalCloud.start(tweak.apply(LocalStacks.options("dev", settings).asyncRetryBase(Duration.ofMillis(50))));
  }

  static void user(LocalCloud cloud, String userId, String subscription) {
    cloud.dynamoDb().putItem(b -> b.tableName(cloud.output("usersTableName")).item(Map.of(
        Tables.Users.KEY, AttributeValue.fromS(userId), Tables.Users.SUBSCRIPTION, AttributeValue.fromS(subscription))));
  }

  /** Uploads a sample through the API exactly as a client would; returns the object key. */
  static String upload(LocalCloud cloud, String userId, String sample, String contentType) {
    String token = cloud.identity().issue(userId, Duration.ofMinutes(5));
    return new Uploader(URI.create(cloud.output("uploadEndpoint"))).upload(token, sample, contentType, sample(sample));
  }

  static byte[] sample(String name) {
    try (InputStream in = E2e.class.getClassLoader().getResourceAsStream("samples/" + name)) {
      assertThat(in).as("sample %s", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Deletes each upload of {@code userId} just before the router puts its job on a queue, so the
   * worker finds its object gone: an upload deleted (by its owner, or by the lifecycle rule)
   * while its job waited. Registered on the cloud's SDK calls; remove it with {@code
   * cloud.calls().removeHook}.
   */
  static CallHook deleteUploadsBeforeTheirJobIsSent(LocalCloud cloud, String userId) {
    String prefix = Keys.UPLOADS_PREFIX + userId + "/";
    CallHook hook = new CallHook() {
      @Override
      public void beforeSend(Caller caller, String service, String operation, SdkRequest request) {
        if (caller.kind() == Caller.Kind.FUNCTION && request instanceof SendMessageRequest send
            && caller.function().startsWith("router")) {
          Job job = Job.fromJson(send.messageBody());
          if (job.videoKey().startsWith(prefix)) {
            // The job reads the version the router admitted, so that version is what goes (its
            // owner deleted it, or the noncurrent-version lifecycle did).
            Caller.DRIVER.run(() -> cloud.s3().deleteObject(b -> b.bucket(job.bucket()).key(job.videoKey())
                .versionId(job.versionId())));
          }
        }
      }
    };
    cloud.calls().addHook(hook);
    return hook;
  }

  static Videos.Record awaitTerminal(LocalCloud cloud, String key, Duration timeout) {
    String table = cloud.output("videosTableName");
    await(() -> Videos.get(cloud.dynamoDb(), table, key).map(Videos.Record::terminal).orElse(false), timeout,
        "video " + key + " to finish");
    return Videos.get(cloud.dynamoDb(), table, key).orElseThrow();
  }

  static List<Videos.Record> awaitAllTerminal(LocalCloud cloud, List<String> keys, Duration timeout) {
    String table = cloud.output("videosTableName");
    await(() -> Videos.all(cloud.dynamoDb(), table).stream()
        .filter(r -> keys.contains(r.key()) && r.terminal()).count() == keys.size(), timeout, keys.size() + " videos to finish");
    return Videos.all(cloud.dynamoDb(), table).stream().filter(r -> keys.contains(r.key())).toList();
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
