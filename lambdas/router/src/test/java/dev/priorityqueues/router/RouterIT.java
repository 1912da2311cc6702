package dev.priorityqueues.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.common.NewUpload;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.common.testing.IsolatedFunction;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.local.servers.LambdaContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shrunk archive the program deploys, run the way the Lambda Java runtime runs it. */
class RouterIT {

  private static final Path JAR = Path.of("target", Functions.ROUTER.id() + ".jar");
  private static final String FIXTURE_KEY =
      "uploads/0f8fad5b-d9cb-469f-a165-70867728950e/7c9e6679-7425-40de-944b-e07fc1f90ae7.mp4";
  private static TestStack stack;
  private static IsolatedFunction function;

  @BeforeAll
  static void load() {
    stack = TestStack.create("router-it");
    function = IsolatedFunction.load(JAR, Functions.ROUTER.handlerClass(), stack.env());
  }

  @AfterAll
  static void close() throws Exception {
    function.close();
  }

  /** A fixture with this stack's bucket and a fresh pending upload's key. */
  private static String event(String fixture, String key) throws Exception {
    return Files.readString(Path.of("src/test/resources/events", fixture))
        .replace("pq-uploads-example", stack.bucket())
        .replace(FIXTURE_KEY, key);
  }

  private static String pending() {
    String key = Keys.uploadKey("it-user", UUID.randomUUID(), "mp4");
    new VideoStore(TestStack.dynamoDb(), stack.videosTable())
        .createPending(new NewUpload(key, "it-user", "a.mp4", "video/mp4", 7136, Instant.now(), Instant.now().plusSeconds(60)));
    return key;
  }

  @Test
  void theArchiveIsWithinTheSizeBudget() throws Exception {
    assertThat(Files.size(JAR)).isLessThanOrEqualTo(8L * 1024 * 1024);
    assertThat(function.eventType().getName()).isEqualTo("com.amazonaws.services.lambda.runtime.events.ScheduledEvent");
  }

  @Test
  void routesAnUploadAndAnswersADuplicateWithNoSecondJob() throws Exception {
    String key = pending();
    String created = function.invoke(event("eventbridge-s3-object-created.json", key), LambdaContext.of("router"));
    assertThat(Json.parseObject("result", created)).containsEntry("outcome", "QUEUED").containsEntry("tier", "regular");
    String duplicate = function.invoke(event("eventbridge-s3-object-created.json", key), LambdaContext.of("router"));
    assertThat(Json.parseObject("result", duplicate)).containsEntry("outcome", "DUPLICATE");
    assertThat(TestStack.sqs().receiveMessage(b -> b.queueUrl(stack.tier("regular").queueUrl()).maxNumberOfMessages(10))
        .messages()).hasSize(1);
  }

  @Test
  void refusesAnEventOfAnotherKind() throws Exception {
    String event = event("eventbridge-s3-object-created.json", pending()).replace("\"Object Created\"", "\"Object Deleted\"");
    assertThatThrownBy(() -> function.invoke(event, LambdaContext.of("router")))
        .hasMessageStartingWith("detail-type 'Object Deleted' is not one the router takes");
  }
}
