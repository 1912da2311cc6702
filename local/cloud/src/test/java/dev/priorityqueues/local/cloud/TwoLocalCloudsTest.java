package dev.priorityqueues.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pulumi.Context;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.lambda.Function;
import com.pulumi.aws.lambda.FunctionArgs;
import com.pulumi.aws.sqs.Queue;
import dev.priorityqueues.local.lambda.TestHandlers;
import dev.priorityqueues.local.sdk.Caller;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Two local clouds at once in one JVM: the SDK's interceptor is one per JVM, but each cloud's
 * call counts, IAM enforcement and attribute lag apply to its own servers' calls only.
 */
class TwoLocalCloudsTest {

  /** One queue and a function whose role may only read the queue's attributes. */
  private static void program(Context ctx) {
    var queue = new Queue("jobs");
    var role = new Role("fn-role", RoleArgs.builder().assumeRolePolicy(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
            + "\"Action\":\"sts:AssumeRole\"}]}").build());
    new Function("fn", FunctionArgs.builder()
        .runtime("java21").handler(TestHandlers.Echo.class.getName() + "::handleRequest")
        .role(role.arn()).code(new com.pulumi.asset.FileArchive("/nonexistent.jar"))
        .build());
    new RolePolicy("fn-read", RolePolicyArgs.builder().role(role.name()).policy(queue.arn().applyValue(arn ->
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:GetQueueAttributes\","
            + "\"Resource\":\"" + arn + "\"}]}")).build());
    ctx.export("queueUrl", queue.url());
  }

  @Test
  void eachCloudCountsEnforcesAndLagsOnlyItsOwnCalls() {
    try (LocalCloud open = LocalCloud.start(LocalCloud.Options.of("open", TwoLocalCloudsTest::program).withoutIam());
        LocalCloud fenced = LocalCloud.start(LocalCloud.Options.of("fenced", TwoLocalCloudsTest::program)
            .attributeLag(Duration.ofHours(1)))) {
      String openQueue = open.output("queueUrl");
      String fencedQueue = fenced.output("queueUrl");
      assertThat(openQueue).isNotEqualTo(fencedQueue);
      open.calls().apiCalls().reset();
      fenced.calls().apiCalls().reset();
      Caller fn = Caller.function("fn");

      // IAM: the fenced cloud's role may not send; the open cloud does not enforce.
      fn.run(() -> open.sqs().sendMessage(b -> b.queueUrl(openQueue).messageBody("one")));
      fn.run(() -> open.sqs().sendMessage(b -> b.queueUrl(openQueue).messageBody("two")));
      assertThatThrownBy(() -> fn.run(() -> fenced.sqs().sendMessage(b -> b.queueUrl(fencedQueue).messageBody("x"))))
          .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
      assertThat(open.iam()).isEmpty();
      assertThat(fenced.iam().orElseThrow().denials()).singleElement()
          .satisfies(d -> assertThat(d.action()).isEqualTo("sqs:SendMessage"));

      // Attribute lag: the fenced cloud answers its functions with a count from an hour ago.
      fenced.calls().attributeLag().record(fencedQueue, Map.of("ApproximateNumberOfMessages", "42"),
          System.currentTimeMillis() - Duration.ofHours(2).toMillis());
      assertThat(messagesSeenBy(fn, open, openQueue)).isEqualTo("2");
      assertThat(messagesSeenBy(fn, fenced, fencedQueue)).isEqualTo("42");
      assertThat(open.calls().attributeLag().millis()).isZero();

      // Counts: each cloud counts the calls to its own servers only.
      assertThat(open.calls().apiCalls().calls(Caller.Kind.FUNCTION, "Sqs")).isEqualTo(3);
      assertThat(fenced.calls().apiCalls().calls(Caller.Kind.FUNCTION, "Sqs")).isEqualTo(2);
    }
  }

  private static String messagesSeenBy(Caller caller, LocalCloud cloud, String queue) {
    return caller.run(() -> cloud.sqs().getQueueAttributes(b -> b.queueUrl(queue)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributesAsStrings()
        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES.toString()));
  }
}
