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

  private final List<MockResource> resources = new CopyOnWriteArrayList<>();

  public List<MockResource> resources() {
    return List.copyOf(resources);
  }

  @Override
  public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
    resources.add(new MockResource(args.type, args.name, args.inputs));
    Map<String, Object> state = new HashMap<>(args.inputs);
    String name = args.name;
    String id = name + "-id";
    switch (args.type) {
      case "aws:sqs/queue:Queue" -> {
        id = "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + name;
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
        state.put("apiEndpoint", "https://" + id + ".execute-api." + REGION + ".amazonaws.com");
        state.put("executionArn", arn("execute-api", id));
        state.put("arn", "arn:aws:apigateway:" + REGION + "::/apis/" + id);
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
      default -> state.putIfAbsent("arn", arn("mock", args.type + "/" + name));
    }
    return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id), state));
  }

  @Override
  public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
    Map<String, Object> result = switch (args.token) {
      case "aws:index/getRegion:getRegion" -> Map.of(
          "name", REGION, "id", REGION, "description", "US East (N. Virginia)",
          "endpoint", "ec2." + REGION + ".amazonaws.com");
      case "aws:index/getCallerIdentity:getCallerIdentity" -> Map.of(
          "accountId", ACCOUNT, "id", ACCOUNT, "userId", "AIDEXAMPLE",
          "arn", "arn:aws:iam::" + ACCOUNT + ":user/test");
      case "aws:index/getPartition:getPartition" -> Map.of(
          "partition", "aws", "id", "aws", "dnsSuffix", "amazonaws.com", "reverseDnsPrefix", "com.amazonaws");
      default -> throw new IllegalArgumentException("unmocked invoke " + args.token);
    };
    return CompletableFuture.completedFuture(result);
  }

  private static String arn(String service, String resource) {
    return "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT + ":" + resource;
  }

  private static String invokeArn(String functionArn) {
    return "arn:aws:apigateway:" + REGION + ":lambda:path/2015-03-31/functions/" + functionArn + "/invocations";
  }
}
