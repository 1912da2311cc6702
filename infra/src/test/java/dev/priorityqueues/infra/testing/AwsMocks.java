package dev.priorityqueues.infra.testing;

import com.pulumi.test.Mocks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A provider stand-in: records every resource the program asks for, with its inputs, and returns
 * the outputs AWS would compute (ARNs, URLs, names, versions, endpoints). Logical names become
 * physical names, as there is no auto-naming.
 */
public final class AwsMocks implements Mocks {
  public static final String ACCOUNT = "123456789012";
  public static final String REGION = "us-east-1";

  /**
   * The input each type names its resource with when the program leaves it unset; Pulumi's AWS
   * provider then fills it in as the logical name plus "-" and 7 random characters.
   */
  public static final Map<String, String> AUTO_NAMED = Map.ofEntries(
      Map.entry("aws:sqs/queue:Queue", "name"),
      Map.entry("aws:lambda/function:Function", "name"),
      Map.entry("aws:lambda/permission:Permission", "statementId"),
      Map.entry("aws:iam/role:Role", "name"),
      Map.entry("aws:iam/rolePolicy:RolePolicy", "name"),
      Map.entry("aws:cloudwatch/logGroup:LogGroup", "name"),
      Map.entry("aws:cloudwatch/metricAlarm:MetricAlarm", "name"),
      Map.entry("aws:cloudwatch/eventRule:EventRule", "name"),
      Map.entry("aws:cloudwatch/eventTarget:EventTarget", "targetId"),
      Map.entry("aws:s3/bucketV2:BucketV2", "bucket"),
      Map.entry("aws:dynamodb/table:Table", "name"),
      Map.entry("aws:apigatewayv2/api:Api", "name"),
      Map.entry("aws:apigatewayv2/authorizer:Authorizer", "name"),
      Map.entry("aws:sns/topic:Topic", "name"));

  private final List<MockResource> resources = new CopyOnWriteArrayList<>();
  private final String region;
  private final boolean autoNames;

  /** Physical names are the logical names, in {@link #REGION}: what most tests assert on. */
  public AwsMocks() {
    this(REGION, false);
  }

  /**
   * With {@code autoNames}, every auto-named resource gets the name the provider would give it
   * (logical name, "-", 7 characters), recorded among its inputs as the provider's check adds
   * it, so names and everything built from them (URLs, ARNs, environments) have their real length.
   */
  public AwsMocks(String region, boolean autoNames) {
    this.region = region;
    this.autoNames = autoNames;
  }

  public List<MockResource> resources() {
    return List.copyOf(resources);
  }

  @Override
  public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
    Map<String, Object> inputs = args.inputs;
    String name = args.name;
    String namedBy = AUTO_NAMED.get(args.type);
    if (namedBy != null && inputs.get(namedBy) instanceof String given) {
      name = given;
    } else if (autoNames && namedBy != null) {
      name = args.name + "-" + String.format("%07x", args.name.hashCode() & 0xfffffff);
      inputs = new HashMap<>(inputs);
      inputs.put(namedBy, name);
    }
    resources.add(new MockResource(args.type, args.name, inputs));
    Map<String, Object> state = new HashMap<>(inputs);
    String id = name + "-id";
    switch (args.type) {
      case "aws:sqs/queue:Queue" -> {
        id = "https://sqs." + region + ".amazonaws.com/" + ACCOUNT + "/" + name;
        state.put("url", id);
        state.put("name", name);
        state.put("arn", arn("sqs", name));
      }
      case "aws:lambda/function:Function" -> {
        String arn = arn("lambda", "function:" + name);
        state.put("name", name);
        state.put("arn", arn);
        state.put("version", "1");
        state.put("qualifiedArn", arn + ":1");
        state.put("invokeArn", invokeArn(arn));
        id = name;
      }
      case "aws:lambda/alias:Alias" -> {
        String arn = arn("lambda", "function:" + args.inputs.get("functionName") + ":" + args.inputs.get("name"));
        state.put("arn", arn);
        state.put("invokeArn", invokeArn(arn));
      }
      case "aws:iam/role:Role" -> {
        state.put("name", name);
        state.put("arn", "arn:aws:iam::" + ACCOUNT + ":role/" + name);
        id = name;
      }
      case "aws:cloudwatch/logGroup:LogGroup" -> {
        state.put("name", name);
        state.put("arn", arn("logs", "log-group:" + name));
        id = name;
      }
      case "aws:s3/bucketV2:BucketV2" -> {
        state.put("bucket", name);
        state.put("arn", "arn:aws:s3:::" + name);
        id = name;
      }
      case "aws:dynamodb/table:Table" -> {
        state.put("name", name);
        state.put("arn", arn("dynamodb", "table/" + name));
        id = name;
      }
      case "aws:apigatewayv2/api:Api" -> {
        id = "a1b2c3d4e5";
        state.put("apiEndpoint", "https://" + id + ".execute-api." + region + ".amazonaws.com");
        state.put("executionArn", arn("execute-api", id));
        state.put("arn", "arn:aws:apigateway:" + region + "::/apis/" + id);
      }
      case "aws:lambda/layerVersion:LayerVersion" -> {
        String arn = arn("lambda", "layer:" + args.inputs.get("layerName") + ":1");
        state.put("arn", arn);
        id = arn;
      }
      case "aws:cloudwatch/eventRule:EventRule" -> {
        state.put("name", name);
        state.put("arn", arn("events", "rule/" + name));
        id = name;
      }
      case "aws:sns/topic:Topic" -> {
        state.put("name", name);
        state.put("arn", arn("sns", name));
        id = state.get("arn").toString();
      }
      case "aws:kms/key:Key" -> {
        // A key id is a UUID; the provider's id is the key id.
        id = java.util.UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        state.put("keyId", id);
        state.put("arn", arn("kms", "key/" + id));
      }
            default -> state.putIfAbsent("arn", arn("mock", args.type + "/" + name));
    }
    return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id), state));
  }

  @Override
  public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
    Map<String, Object> result = switch (args.token) {
      case "aws:index/getRegion:getRegion" -> Map.of(
          "name", region, "id", region, "description", region,
          "endpoint", "ec2." + region + ".amazonaws.com");
      case "aws:index/getCallerIdentity:getCallerIdentity" -> Map.of(
          "accountId", ACCOUNT, "id", ACCOUNT, "userId", "AIDEXAMPLE",
          "arn", "arn:aws:iam::" + ACCOUNT + ":user/test");
      case "aws:index/getPartition:getPartition" -> Map.of(
          "partition", "aws", "id", "aws", "dnsSuffix", "amazonaws.com", "reverseDnsPrefix", "com.amazonaws");
      default -> throw new IllegalArgumentException("unmocked invoke " + args.token);
    };
    return CompletableFuture.completedFuture(result);
  }

  private String arn(String service, String resource) {
    return "arn:aws:" + service + ":" + region + ":" + ACCOUNT + ":" + resource;
  }

  private String invokeArn(String functionArn) {
    return "arn:aws:apigateway:" + region + ":lambda:path/2015-03-31/functions/" + functionArn + "/invocations";
  }
}
