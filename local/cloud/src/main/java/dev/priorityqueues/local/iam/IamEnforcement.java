package dev.priorityqueues.local.iam;

import dev.priorityqueues.local.sdk.CallHook;
import dev.priorityqueues.local.sdk.CallHook.ErrorAnswer;
import dev.priorityqueues.local.sdk.Caller;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.model.AccessDeniedException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Checks every SDK call a function makes — and every call an event source mapping's poller makes
 * for it, since in AWS the poller uses the function's role — against the identity policies the
 * program attaches to that function's role. A call the role does not allow fails before it
 * reaches the server, with the AccessDenied error each service returns. Calls by the driver (the
 * demo, benchmarks, tests) are not checked.
 *
 * <p>S3 also hides a missing key from a caller who may not list the bucket: GetObject or
 * HeadObject of a key that does not exist answers 404 only if the role allows {@code
 * s3:ListBucket} on the bucket, and 403 AccessDenied otherwise (GetObject and HeadObject in the
 * S3 API reference). S3Proxy always answers 404, so that 404 is rewritten on the wire into S3's
 * 403, and the SDK parses it as it would parse S3's.
 */
public final class IamEnforcement implements CallHook {

  /** A refused call, for reports and tests. */
  public record Denial(String function, String role, String action, String resource) {}

  private final Map<String, String> roleByFunction;
  private final Map<String, List<IamPolicy>> policiesByRole;
  private final String region;
  private final String account;
  private final List<Denial> denials = new CopyOnWriteArrayList<>();
  private final Map<String, String> context = Map.of("aws:SecureTransport", "true");

  /**
   * @param roleByFunction function name → the name of its execution role
   * @param policiesByRole role name → the identity policies attached to it
   */
  public IamEnforcement(
      Map<String, String> roleByFunction, Map<String, List<IamPolicy>> policiesByRole, String region, String account) {
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
    List<IamPolicy> policies = policiesByRole.getOrDefault(role, List.of());
    for (AwsRequests.Access access : AwsRequests.accesses(service, operation, request, region, account)) {
      IamPolicy.Decision decision = IamPolicy.evaluate(policies, access.action(), access.resource(), context);
      if (!decision.allowed()) {
        denials.add(new Denial(caller.function(), role, access.action(), access.resource()));
        throw denied(service, caller.function(), role, access.action(), access.resource());
      }
    }
  }

  @Override
  public ErrorAnswer modifyErrorAnswer(Caller caller, String service, String operation, SdkRequest request,
      ErrorAnswer answer) {
    boolean read = operation.equals("GetObject") || operation.equals("HeadObject");
    if (caller.kind() == Caller.Kind.DRIVER || !service.equals("S3") || !read || answer.response().statusCode() != 404) {
      return answer;
    }
    // A HEAD answer has no body to tell a missing key from a missing bucket; the SDK reads any
    // HeadObject 404 as NoSuchKey too.
    // A read of a version that is gone is hidden the same way (inferred: the GetObject page says
    // "if the object you request doesn't exist" without singling out versions).
    String body = answer.body() == null ? null : new String(answer.body(), StandardCharsets.UTF_8);
    if (body != null && !body.contains("<Code>NoSuchKey</Code>") && !body.contains("<Code>NoSuchVersion</Code>")) {
      return answer;
    }
    String role = roleByFunction.get(caller.function());
    String bucketArn = "arn:aws:s3:::" + request.getValueForField("Bucket", String.class).orElse("*");
    if (IamPolicy.evaluate(policiesByRole.getOrDefault(role, List.of()), "s3:ListBucket", bucketArn, context).allowed()) {
      return answer;
    }
    denials.add(new Denial(caller.function(), role, "s3:ListBucket", bucketArn));
    return missingKeyDenied(answer, operation.equals("HeadObject"));
  }

  /** S3's answer instead of 404: 403 AccessDenied; as for every HEAD, no body then. */
  private static ErrorAnswer missingKeyDenied(ErrorAnswer notFound, boolean head) {
    String requestId = notFound.response().firstMatchingHeader("x-amz-request-id").orElse("local-iam");
    byte[] body = head ? null : ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
        + "<Message>Access Denied</Message><RequestId>" + requestId + "</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
    SdkHttpResponse.Builder response = notFound.response().toBuilder().statusCode(403).statusText("Forbidden");
    if (body != null) {
      response.putHeader("Content-Type", "application/xml").putHeader("Content-Length", String.valueOf(body.length));
    }
    return new ErrorAnswer(response.build(), body);
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
          // The SDK parses S3's AccessDenied into this subclass of S3Exception.
          case "S3" -> AccessDeniedException.builder().statusCode(403).awsErrorDetails(details("AccessDenied", message, "S3", 403));
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
