package dev.priorityqueues.local.iam;

import dev.priorityqueues.local.sdk.CallHook;
import dev.priorityqueues.local.sdk.CallHook.ErrorAnswer;
import dev.priorityqueues.local.sdk.Caller;
import dev.priorityqueues.local.servers.S3Guard;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
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
public final class IamEnforcement implements CallHook, S3Guard {

  /** A refused call, for reports and tests. */
  public record Denial(String function, String role, String action, String resource) {}

  private final Map<String, String> roleByFunction;
  private final Map<String, List<IamPolicy>> policiesByRole;
  private final Map<String, IamPolicy> resourcePolicies;
  /** A queue's or table's ARN, or a bucket's → the customer-managed key it is encrypted with. */
  private final Map<String, String> keyByResource;
  private final String region;
  private final String account;
  private final List<Denial> denials = new CopyOnWriteArrayList<>();
  /** "bucket/key" → the function that presigned a PutObject URL for it, last one first. */
  private final Map<String, String> presignedPuts = new ConcurrentHashMap<>();
  private volatile LongSupplier nowMillis = System::currentTimeMillis;

  /**
   * @param roleByFunction function name → the name of its execution role
   * @param policiesByRole role name → the identity policies attached to it
   */
  public IamEnforcement(
      Map<String, String> roleByFunction, Map<String, List<IamPolicy>> policiesByRole, String region, String account) {
    this(roleByFunction, policiesByRole, Map.of(), region, account);
  }

  /**
   * @param resourcePolicies a queue's ARN, or a bucket's ARN ({@code arn:aws:s3:::name}) → its
   *     policy, which governs the bucket and every object in it
   */
  public IamEnforcement(Map<String, String> roleByFunction, Map<String, List<IamPolicy>> policiesByRole,
      Map<String, IamPolicy> resourcePolicies, String region, String account) {
    this(roleByFunction, policiesByRole, resourcePolicies, Map.of(), region, account);
  }

  /**
   * @param resourcePolicies also a key's ARN → its key policy
   * @param keyByResource a queue's or table's ARN, or a bucket's, → the ARN of the customer-managed
   *     key it is encrypted with: a call on it also needs the {@code kms:} actions the service
   *     uses for the caller ({@link KeyUses})
   */
  public IamEnforcement(Map<String, String> roleByFunction, Map<String, List<IamPolicy>> policiesByRole,
      Map<String, IamPolicy> resourcePolicies, Map<String, String> keyByResource, String region, String account) {
    this.roleByFunction = Map.copyOf(roleByFunction);
    this.policiesByRole = Map.copyOf(policiesByRole);
    this.resourcePolicies = Map.copyOf(resourcePolicies);
    this.keyByResource = Map.copyOf(keyByResource);
    this.region = region;
    this.account = account;
  }

  /** The role's ARN, as IAM puts it in aws:PrincipalArn for the role's sessions. */
  public String roleArn(String role) {
    return "arn:aws:iam::" + account + ":role/" + role;
  }

  /**
   * The request context of an SDK call (SigV4 in the Authorization header) by a role: the keys
   * the program's policies test.
   */
  private Map<String, String> context(String role, String service) {
    Map<String, String> context = new java.util.HashMap<>(Map.of(
        "aws:SecureTransport", "true", "aws:PrincipalArn", roleArn(role), "aws:PrincipalAccount", account));
    if (service.equals("S3")) {
      context.put("s3:authType", "REST-HEADER");
      context.put("s3:signatureversion", "AWS4-HMAC-SHA256");
    }
    return context;
  }

  /** The policy of the resource an access is to: the queue's, or the bucket's for its objects too. */
  IamPolicy resourcePolicy(String resourceArn) {
    if (resourceArn.startsWith("arn:aws:s3:::")) {
      String path = resourceArn.substring("arn:aws:s3:::".length());
      int slash = path.indexOf('/');
      return resourcePolicies.get("arn:aws:s3:::" + (slash < 0 ? path : path.substring(0, slash)));
    }
    return resourcePolicies.get(resourceArn);
  }

  /**
   * Decides one access by a role, with a request context of its own (for example a presigned
   * URL's), and records a denial.
   */
  public IamPolicy.Decision decide(String function, String role, String action, String resourceArn,
      Map<String, String> context) {
    IamPolicy.Decision decision = IamPolicy.evaluate(policiesByRole.getOrDefault(role, List.of()),
        resourcePolicy(resourceArn), roleArn(role), action, resourceArn, context);
    if (!decision.allowed()) {
      denials.add(new Denial(function, role, action, resourceArn));
    }
    return decision;
  }

  /**
   * Decides a KMS call a service makes for a role on a resource under a customer key. KMS reads
   * the key policy first: IAM policies count only where it lets the account's IAM grant the
   * action (KMS Developer Guide, key policies, "Allows access to the AWS account and enables IAM
   * policies"); a key the program did not create has a policy the local cloud cannot see, and is
   * taken to delegate so. The context has {@code kms:ViaService}, the service calling KMS.
   */
  IamPolicy.Decision decideKey(String function, String role, KeyUses.Use use, Map<String, String> base) {
    Map<String, String> context = new java.util.HashMap<>(base);
    context.put("kms:ViaService", use.viaService());
    context.put("kms:CallerAccount", account);
    IamPolicy keyPolicy = resourcePolicies.get(use.keyArn());
    List<IamPolicy> identity = policiesByRole.getOrDefault(role, List.of());
    if (keyPolicy != null && !delegatesToIam(keyPolicy, use.action(), use.keyArn(), context)) {
      identity = List.of();
    }
    IamPolicy.Decision decision = IamPolicy.evaluate(identity, keyPolicy, roleArn(role), use.action(), use.keyArn(), context);
    if (!decision.allowed()) {
      denials.add(new Denial(function, role, use.action(), use.keyArn()));
    }
    return decision;
  }

  private boolean delegatesToIam(IamPolicy keyPolicy, String action, String keyArn, Map<String, String> context) {
    String root = "arn:aws:iam::" + account + ":root";
    return keyPolicy.statements().stream().anyMatch(s -> s.allow() && s.principal() != null
        && (s.principal().aws().contains(root) || s.principal().aws().contains(account))
        && s.matches(action, keyArn, context));
  }

  /** The clock presigned URLs' signature age is measured with (tests move it forward). */
  public void clock(LongSupplier nowMillis) {
    this.nowMillis = nowMillis;
  }

  @Override
  public void presigned(Caller caller, String service, String operation, SdkRequest request) {
    // The presigner names the service "s3", a client "S3".
    if (caller.kind() == Caller.Kind.FUNCTION && service.equalsIgnoreCase("S3") && operation.equals("PutObject")) {
      presignedPuts.put(request.getValueForField("Bucket", String.class).orElse("") + "/"
          + request.getValueForField("Key", String.class).orElse(""), caller.function());
    }
  }

  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /**
   * A PUT through a presigned URL, checked as S3 checks it: as the role of the function that
   * presigned it, against that role's policies and the bucket policy, with the request context
   * of a presigned URL ({@code s3:authType} REST-QUERY-STRING, {@code s3:signatureAge} since
   * {@code X-Amz-Date}, in milliseconds). A URL no function presigned is the driver's, which is
   * never checked; S3Proxy still checks every signature and expiry.
   */
  @Override
  public Optional<Refusal> check(String method, String path, Map<String, List<String>> query, String ifNoneMatch) {
    List<String> date = query.get("X-Amz-Date");
    if (!method.equals("PUT") || !query.containsKey("X-Amz-Signature") || date == null || path.length() < 2) {
      return Optional.empty();
    }
    String object = path.substring(1);
    String function = presignedPuts.get(object);
    String role = function == null ? null : roleByFunction.get(function);
    if (role == null) {
      return Optional.empty();
    }
    long signedAt;
    try {
      signedAt = LocalDateTime.parse(date.get(0), AMZ_DATE).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (RuntimeException e) {
      return Optional.empty(); // S3Proxy refuses a malformed date itself
    }
    Map<String, String> context = new java.util.HashMap<>(context(role, "S3"));
    context.put("s3:authType", "REST-QUERY-STRING");
    context.put("s3:signatureAge", Long.toString(Math.max(0, nowMillis.getAsLong() - signedAt)));
    if (ifNoneMatch != null) {
      context.put("s3:if-none-match", ifNoneMatch); // the single-use URL's signed header
    }
    IamPolicy.Decision decision = decide(function, role, "s3:PutObject", "arn:aws:s3:::" + object, context);
    if (!decision.allowed()) {
      return Optional.of(new Refusal(403, "AccessDenied", "Access Denied"));
    }
    // Under SSE-KMS, S3 generates the object's data key with the signer's permissions.
    String bucket = object.substring(0, Math.max(0, object.indexOf('/')));
    for (KeyUses.Use use : KeyUses.presignedPut(bucket, keyByResource, region)) {
      if (!decideKey(function, role, use, context).allowed()) {
        return Optional.of(new Refusal(403, "AccessDenied", kmsDenial(role, function, use)));
      }
    }
    return Optional.empty();
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
      throw denied(service, caller.function(), "(no role)", service.toLowerCase() + ":" + operation, "*",
          new IamPolicy.Decision(false, null));
    }
    Map<String, String> context = context(role, service);
    List<AwsRequests.Access> accesses = AwsRequests.accesses(service, operation, request, region, account);
    for (AwsRequests.Access access : accesses) {
      IamPolicy.Decision decision = decide(caller.function(), role, access.action(), access.resource(), context);
      if (!decision.allowed()) {
        throw denied(service, caller.function(), role, access.action(), access.resource(), decision);
      }
    }
    for (KeyUses.Use use : KeyUses.of(service, operation, accesses, keyByResource, region)) {
      IamPolicy.Decision decision = decideKey(caller.function(), role, use, context);
      if (!decision.allowed()) {
        throw keyDenied(service, caller.function(), role, use);
      }
    }
  }

  private String kmsDenial(String role, String function, KeyUses.Use use) {
    return "User: arn:aws:sts::" + account + ":assumed-role/" + role + "/" + function + " is not authorized to perform: "
        + use.action() + " on resource: " + use.keyArn() + " because no identity-based policy allows the "
        + use.action() + " action";
  }

  /**
   * The error each service answers when KMS refuses the call it made for the caller: SQS's
   * KmsAccessDenied (400, KMS.AccessDeniedException), S3's 403 AccessDenied with KMS's words,
   * DynamoDB's AccessDeniedException.
   */
  private AwsServiceException keyDenied(String service, String function, String role, KeyUses.Use use) {
    String message = kmsDenial(role, function, use);
    AwsServiceException.Builder builder = switch (service) {
      case "Sqs" -> software.amazon.awssdk.services.sqs.model.KmsAccessDeniedException.builder().statusCode(400)
          .awsErrorDetails(details("KMS.AccessDeniedException", message, "Sqs", 400));
      case "DynamoDb" -> DynamoDbException.builder().statusCode(400)
          .awsErrorDetails(details("AccessDeniedException", message, "DynamoDb", 400));
      case "S3" -> AccessDeniedException.builder().statusCode(403).awsErrorDetails(details("AccessDenied", message, "S3", 403));
      default -> AwsServiceException.builder().statusCode(403).awsErrorDetails(details("AccessDenied", message, service, 403));
    };
    return builder.message(message).requestId("local-iam").build();
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
    if (IamPolicy.evaluate(policiesByRole.getOrDefault(role, List.of()), resourcePolicy(bucketArn), roleArn(role),
        "s3:ListBucket", bucketArn, context(role, service)).allowed()) {
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

  private AwsServiceException denied(String service, String function, String role, String action, String resource,
      IamPolicy.Decision decision) {
    String principal = "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + function;
    String why = decision.deciding() == null ? " because no identity-based policy allows the " + action + " action"
        : decision.deciding().startsWith("explicit deny in the resource policy")
            ? " with an explicit deny in a resource-based policy"
            : " with an explicit deny in an identity-based policy";
    String message = "User: " + principal + " is not authorized to perform: " + action + " on resource: " + resource + why;
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
