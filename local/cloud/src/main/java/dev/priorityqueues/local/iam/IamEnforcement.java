package dev.priorityqueues.local.iam;

import dev.priorityqueues.local.sdk.CallHook;
import dev.priorityqueues.local.sdk.Caller;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Checks every SDK call a function makes — and every call an event source mapping's poller makes
 * for it, since in AWS the poller uses the function's role — against the identity policies the
 * program attaches to that function's role. A call the role does not allow fails before it
 * reaches the server, with the AccessDenied error each service returns. Calls by the driver (the
 * demo, benchmarks, tests) are not checked.
 */
public final class IamEnforcement implements CallHook {

  /** A refused call, for reports and tests. */
  public record Denial(String function, String role, String action, String resource) {}

  private final Map<String, String> roleByFunction;
  private final Map<String, List<PolicyDocument>> policiesByRole;
  private final String region;
  private final String account;
  private final List<Denial> denials = new CopyOnWriteArrayList<>();
  private final Map<String, String> context = Map.of("aws:SecureTransport", "true");

  /**
   * @param roleByFunction function name → the name of its execution role
   * @param policiesByRole role name → the identity policies attached to it
   */
  public IamEnforcement(
      Map<String, String> roleByFunction, Map<String, List<PolicyDocument>> policiesByRole, String region, String account) {
    this.roleByFunction = Map.copyOf(roleByFunction);
    this.policiesByRole = Map.copyOf(policiesByRole);
    this.region = region;
    this.account = account;
  }

  public List<Denial> denials() {
    return List.copyOf(denials);
  }

  @Override
  public void beforeSend(Caller caller, String service, String operation, SdkRequest request) {
    if (caller.kind() == Caller.Kind.DRIVER) {
      return;
    }
    String role = roleByFunction.get(caller.function());
    if (role == null) {
      throw denied(service, caller.function(), "(no role)", service.toLowerCase() + ":" + operation, "*");
    }
    List<PolicyDocument> policies = policiesByRole.getOrDefault(role, List.of());
    for (AwsRequests.Access access : AwsRequests.accesses(service, operation, request, region, account)) {
      PolicyDocument.Decision decision = PolicyDocument.evaluate(policies, access.action(), access.resource(), context);
      if (!decision.allowed()) {
        denials.add(new Denial(caller.function(), role, access.action(), access.resource()));
        throw denied(service, caller.function(), role, access.action(), access.resource());
      }
    }
  }

  private AwsServiceException denied(String service, String function, String role, String action, String resource) {
    String principal = "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + function;
    String message =
        "User: " + principal + " is not authorized to perform: " + action + " on resource: " + resource
            + " because no identity-based policy allows the " + action + " action";
    AwsServiceException.Builder builder =
        switch (service) {
          case "Sqs" -> SqsException.builder().statusCode(403).awsErrorDetails(details("AccessDenied", message, "Sqs", 403));
          case "DynamoDb" -> DynamoDbException.builder().statusCode(400)
              .awsErrorDetails(details("AccessDeniedException", message, "DynamoDb", 400));
          case "S3" -> S3Exception.builder().statusCode(403).awsErrorDetails(details("AccessDenied", message, "S3", 403));
          default -> AwsServiceException.builder().statusCode(403).awsErrorDetails(details("AccessDenied", message, service, 403));
        };
    return builder.message(message).requestId("local-iam").build();
  }

  private static AwsErrorDetails details(String code, String message, String service, int status) {
    return AwsErrorDetails.builder()
        .errorCode(code)
        .errorMessage(message)
        .serviceName(service)
        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build())
        .build();
  }
}
