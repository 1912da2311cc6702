package dev.priorityqueues.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.local.servers.LocalAws;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class AwsClientsTest {

  private final LocalAws aws = LocalAws.shared();

  @Test
  void reachesEveryLocalServerThroughTheEndpointOverridesAndBuildsEachClientOnce() {
    try (AwsClients clients = new AwsClients(new EnvReader(aws.clientEnvironment()))) {
      assertThat(clients.endpointsOverridden()).isTrue();
      assertThat(clients.sqs()).isSameAs(clients.sqs());
      assertThat(clients.dynamoDb()).isSameAs(clients.dynamoDb());
      assertThat(clients.s3()).isSameAs(clients.s3());
      assertThat(clients.sqs().listQueues().sdkHttpResponse().isSuccessful()).isTrue();
      assertThat(clients.dynamoDb().listTables().sdkHttpResponse().isSuccessful()).isTrue();
      clients.s3().createBucket(b -> b.bucket("aws-clients-test"));
      clients.s3().putObject(b -> b.bucket("aws-clients-test").key("a/b"), RequestBody.fromString("x"));
      assertThat(clients.presigner().presignGetObject(b -> b.signatureDuration(java.time.Duration.ofMinutes(1))
              .getObjectRequest(g -> g.bucket("aws-clients-test").key("a/b"))).url().toString())
          .as("path-style when the endpoint is overridden")
          .startsWith(aws.s3Endpoint() + "/aws-clients-test/a/b?");
    }
  }

  @Test
  void usesTheDefaultCredentialChainWithoutOverridesAndBuildsNothingEagerly() {
    try (AwsClients clients = new AwsClients(new EnvReader(Map.of("AWS_REGION", "eu-west-1")))) {
      assertThat(clients.endpointsOverridden()).isFalse();
      assertThat(clients.region().id()).isEqualTo("eu-west-1");
    }
  }

  @Test
  void namesTheVariableThatIsWrong() {
    assertThatThrownBy(() -> new AwsClients(new EnvReader(Map.of())))
        .isInstanceOf(ContractException.class)
        .hasMessage("AWS_REGION is not set; the Pulumi program sets it");
    Map<String, String> env = new HashMap<>(aws.clientEnvironment());
    env.put("AWS_ENDPOINT_URL_SQS", "localhost:9324");
    assertThatThrownBy(() -> new AwsClients(new EnvReader(env)))
        .hasMessage("AWS_ENDPOINT_URL_SQS must be an absolute URL such as http://127.0.0.1:4566, not 'localhost:9324'");
    env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1");
    env.remove("AWS_SECRET_ACCESS_KEY");
    assertThatThrownBy(() -> new AwsClients(new EnvReader(env)))
        .hasMessage("AWS_SECRET_ACCESS_KEY is not set; the Pulumi program sets it");
  }
}
