package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.shortId;

import com.pulumi.test.Mocks;
import dev.priorityqueues.local.events.S3EventNotifications;
import dev.priorityqueues.local.servers.LocalAws;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Pulumi {@link Mocks} that deploy onto the local servers. Pulumi calls
 * {@link #newResourceAsync} for each resource once its inputs are known, in dependency order;
 * the deployer hands it to the {@link Translator} of its service: queues, tables and buckets are
 * really created on ElasticMQ, DynamoDB Local and S3Proxy, and everything else the program
 * declares is recorded so the local cloud can run it (functions, mappings, rules, targets,
 * routes) or list it as declared but not emulated (IAM, alarms, dashboards, policies). The
 * outputs returned are the real local ones.
 */
public final class LocalDeployer implements Mocks {

  private final ExecutorService sdkPool;
  private final String region = LocalAws.REGION;
  private final String account = LocalAws.ACCOUNT_ID;

  private final EmulationLog log = new EmulationLog();
  private final SqsTranslator sqs;
  private final DynamoDbTranslator dynamoDb;
  private final S3Translator s3;
  private final LambdaTranslator lambda;
  private final EventBridgeTranslator eventBridge;
  private final ApiGatewayTranslator apiGateway;
  private final IamTranslator iam;
  private final CloudWatchTranslator cloudWatch;
  private final KmsTranslator kms;
  private final Map<String, Translator> byType = new HashMap<>();

  public LocalDeployer(
      SqsClient sqs, DynamoDbClient dynamoDb, S3Client s3,
      S3EventNotifications notifications, ExecutorService sdkPool, String apiEndpoint) {
    this.sdkPool = sdkPool;
    this.sqs = new SqsTranslator(sqs, log);
    this.dynamoDb = new DynamoDbTranslator(dynamoDb, log);
    this.s3 = new S3Translator(s3, notifications, log);
    this.lambda = new LambdaTranslator(log);
    this.eventBridge = new EventBridgeTranslator(log);
    this.apiGateway = new ApiGatewayTranslator(apiEndpoint, log);
    this.iam = new IamTranslator(log);
    this.cloudWatch = new CloudWatchTranslator(log);
    this.kms = new KmsTranslator(log);
    for (Translator translator : List.of(this.sqs, this.dynamoDb, this.s3, lambda, eventBridge, apiGateway, iam, cloudWatch,
        kms)) {
      translator.types().forEach(type -> byType.put(type, translator));
    }
  }

  @Override
  public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
    // SDK calls run on the deployer's own pool so Pulumi's program thread is never blocked.
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return create(args);
          } catch (RuntimeException e) {
            throw new IllegalStateException(args.type + " " + args.name + ": " + e.getMessage(), e);
          }
        },
        sdkPool);
  }

  @Override
  public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
    Map<String, Object> result = new HashMap<>();
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity" -> {
        result.put("accountId", account);
        result.put("arn", "arn:aws:iam::" + account + ":user/local");
        result.put("userId", "LOCAL");
        result.put("id", account);
      }
      case "aws:index/getRegion:getRegion" -> {
        result.put("name", region);
        result.put("id", region);
        result.put("region", region);
        result.put("description", "local");
      }
      case "aws:index/getPartition:getPartition" -> {
        result.put("partition", "aws");
        result.put("dnsSuffix", "amazonaws.com");
        result.put("id", "aws");
        result.put("reverseDnsPrefix", "com.amazonaws");
      }
      default -> {
        // An invoke the local cloud does not know answers empty; it is listed, not hidden.
        log.add(new Declared.Resource(args.token, "(invoke)", false, "invoke not emulated"));
      }
    }
    return CompletableFuture.completedFuture(result);
  }

  // What the local cloud reads back once the program has run.

  public List<Declared.Resource> resources() {
    return log.all();
  }

  public List<Declared.Queue> queues() {
    return sqs.queues();
  }

  public Optional<Declared.Queue> queue(String arn) {
    return sqs.queue(arn);
  }

  public List<Declared.Function> functions() {
    return lambda.functions();
  }

  public Declared.Function function(String arn) {
    return lambda.function(arn);
  }

  public List<Declared.Mapping> mappings() {
    return lambda.mappings();
  }

  public List<Declared.Rule> rules() {
    return eventBridge.rules();
  }

  public List<Declared.Target> targets() {
    return eventBridge.targets();
  }

  public List<Declared.Route> routes() {
    return apiGateway.routes();
  }

  public Optional<Declared.Integration> integration(String id) {
    return apiGateway.integration(id);
  }

  public Optional<Declared.Authorizer> authorizer(String id) {
    return apiGateway.authorizer(id);
  }

  /** The HTTP API's CORS configuration, if the program declared one. */
  public Optional<Declared.ApiCors> apiCors() {
    return apiGateway.apiCors();
  }

  public List<Declared.BucketCors> bucketCors() {
    return s3.bucketCors();
  }

  public List<Declared.RolePolicy> rolePolicies() {
    return iam.rolePolicies();
  }

  /** Queue, bucket and key policies, by the ARN of the queue, bucket or key they govern. */
  public List<Declared.ResourcePolicy> resourcePolicies() {
    List<Declared.ResourcePolicy> all = new ArrayList<>(sqs.queuePolicies());
    all.addAll(s3.bucketPolicies());
    all.addAll(kms.keyPolicies());
    return List.copyOf(all);
  }

  /** A queue's or table's ARN, or a bucket's ({@code arn:aws:s3:::name}) → the customer key it is encrypted with. */
  public Map<String, String> customerKeys() {
    return kms.keyByResource();
  }

  /** The async invoke config declared for a function, by name or ARN. */
  public Declared.AsyncConfig asyncConfig(String name, String arn) {
    return lambda.asyncConfig(name, arn);
  }

  /**
   * The function ARN that a function ARN, an alias or version ARN, an API Gateway invoke ARN or
   * a function name refers to.
   */
  public Optional<String> resolveFunctionArn(String reference) {
    return lambda.resolveFunctionArn(reference);
  }

  private ResourceResult create(ResourceArgs args) {
    Map<String, Object> in = args.inputs;
    Map<String, Object> state = new LinkedHashMap<>(in);
    String type = args.type;
    String name = args.name;
    String id;
    Translator translator = byType.get(type);
    if (translator != null) {
      id = translator.create(type, name, in, state);
    } else {
      id = name + "-" + shortId();
      if (type.startsWith("priority-queues:")) {
        // Component resources have no provider side.
        return ResourceResult.of(Optional.of(id), state);
      }
      state.putIfAbsent("arn", "arn:aws:local:" + region + ":" + account + ":" + type.replace(':', '/') + "/" + name);
      log.notEmulated(type, name, "no local server for this resource type");
    }
    state.putIfAbsent("id", id);
    kms.observe(type, in, state);
    return ResourceResult.of(Optional.of(id), state);
  }
}
