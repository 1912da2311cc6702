package dev.priorityqueues.infra.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.pulumi.core.Output;
import com.pulumi.test.PulumiTest;
import dev.priorityqueues.infra.JsonSupport;
import org.junit.jupiter.api.Test;

/** The policy builder refuses broad grants, so none can be written by mistake. */
class StatementTest {

  static final Output<String> QUEUE = Output.of("arn:aws:sqs:us-east-1:123456789012:q");

  @Test
  void anAllowMayNotUseAWildcardAction() {
    assertThatThrownBy(() -> Statement.allow("Broad").actions("sqs:*").resources(QUEUE).build())
        .hasMessageContaining("an Allow must name its actions, not 'sqs:*'");
    assertThatThrownBy(() -> Statement.allow("Broader").actions("*").resources(QUEUE).build())
        .hasMessageContaining("not '*'");
    assertThatThrownBy(() -> Statement.allow("Prefix").actions("sqs:Get*").resources(QUEUE).build())
        .hasMessageContaining("not 'sqs:Get*'");
  }

  @Test
  void resourceStarIsOnlyForXRay() {
    assertThatThrownBy(() -> Statement.allow("Any").actions("s3:GetObject").anyResource().build())
        .hasMessageContaining("resource '*' is allowed only for [xray:PutTraceSegments, xray:PutTelemetryRecords]");
    assertThat(Statement.allow("Traces").actions(Statement.XRAY_WRITE_ACTIONS).anyResource().build()).isNotNull();
  }

  @Test
  void principalStarIsOnlyForADeny() {
    assertThatThrownBy(() -> Statement.allow("Public").anyPrincipal().actions("sqs:SendMessage").resources(QUEUE).build())
        .hasMessageContaining("an Allow must name its principal");
  }

  @Test
  void anIdentityStatementNeedsResources() {
    assertThatThrownBy(() -> Statement.allow("Nothing").actions("sqs:SendMessage").build())
        .hasMessageContaining("needs resources");
  }

  @Test
  void writesConditionsWithResolvedValues() throws Exception {
    Output<String> json = PolicyDocument.of(Statement.allow("FromRule")
        .servicePrincipal("events.amazonaws.com")
        .actions("sqs:SendMessage")
        .resources(QUEUE)
        .condition("ArnEquals", "aws:SourceArn", Output.of("arn:aws:events:us-east-1:123456789012:rule/r"))
        .build());
    JsonNode statement = JsonSupport.read(PulumiTest.extractValue(json)).get("Statement").get(0);

    assertThat(statement.at("/Principal/Service").asText()).isEqualTo("events.amazonaws.com");
    assertThat(statement.get("Resource").get(0).asText()).isEqualTo("arn:aws:sqs:us-east-1:123456789012:q");
    assertThat(statement.at("/Condition/ArnEquals/aws:SourceArn").asText())
        .isEqualTo("arn:aws:events:us-east-1:123456789012:rule/r");
  }
}
