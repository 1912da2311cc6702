package dev.priorityqueues.local.deploy;

import com.pulumi.test.Mocks;
import dev.priorityqueues.local.events.S3EventNotifications;
import dev.priorityqueues.local.servers.LocalAws;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Pulumi {@link Mocks} that deploy onto the local servers. Pulumi calls
 * {@link #newResourceAsync} for each resource once its inputs are known, in dependency order;
 * queues, tables and buckets are really created on ElasticMQ, DynamoDB Local and S3Proxy, and
 * everything else the program declares is recorded so the local cloud can run it (functions,
 * mappings, rules, targets, routes) or list it as declared but not emulated (IAM, alarms,
 * dashboards, policies). The outputs returned are the real local ones.
 */
public final class LocalDeployer implements Mocks {

  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;
  private final S3Client s3;
  private final S3EventNotifications notifications;
  private final ExecutorService sdkPool;
  private final String region = LocalAws.REGION;
  private final String account = LocalAws.ACCOUNT_ID;
  private final String apiEndpoint;

  final List<Declared.Resource> resources = new CopyOnWriteArrayList<>();
  final Map<String, Declared.Queue> queuesByArn = new ConcurrentHashMap<>();
  final Map<String, Declared.Function> functionsByArn = new ConcurrentHashMap<>();
  /** Alias or version ARN → the function ARN it points at. */
  final Map<String, String> aliases = new ConcurrentHashMap<>();
  final List<Declared.AsyncConfig> asyncConfigs = new CopyOnWriteArrayList<>();
  final List<Declared.Mapping> mappings = new CopyOnWriteArrayList<>();
  final Map<String, Declared.Rule> rules = new ConcurrentHashMap<>();
  final List<Declared.Target> targets = new CopyOnWriteArrayList<>();
  final Map<String, Declared.Authorizer> authorizers = new ConcurrentHashMap<>();
  final Map<String, Declared.Integration> integrations = new ConcurrentHashMap<>();
  final List<Declared.Route> routes = new CopyOnWriteArrayList<>();
  final List<Declared.RolePolicy> rolePolicies = new CopyOnWriteArrayList<>();
  final List<Declared.ResourcePolicy> resourcePolicies = new CopyOnWriteArrayList<>();
  volatile Declared.ApiCors apiCors;
  final List<Declared.BucketCors> bucketCors = new CopyOnWriteArrayList<>();

  public LocalDeployer(
      SqsClient sqs, DynamoDbClient dynamoDb, S3Client s3,
      S3EventNotifications notifications, ExecutorService sdkPool, String apiEndpoint) {
    this.sqs = sqs;
    this.dynamoDb = dynamoDb;
    this.s3 = s3;
    this.notifications = notifications;
    this.sdkPool = sdkPool;
    this.apiEndpoint = apiEndpoint;
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
        resources.add(new Declared.Resource(args.token, "(invoke)", false, "invoke not emulated"));
      }
    }
    return CompletableFuture.completedFuture(result);
  }

  // What the local cloud reads back once the program has run.

  public List<Declared.Resource> resources() {
    return List.copyOf(resources);
  }

  public List<Declared.Queue> queues() {
    return List.copyOf(queuesByArn.values());
  }

  public Optional<Declared.Queue> queue(String arn) {
    return Optional.ofNullable(queuesByArn.get(arn));
  }

  public List<Declared.Function> functions() {
    return List.copyOf(functionsByArn.values());
  }

  public Declared.Function function(String arn) {
    return functionsByArn.get(arn);
  }

  public List<Declared.Mapping> mappings() {
    return List.copyOf(mappings);
  }

  public List<Declared.Rule> rules() {
    return List.copyOf(rules.values());
  }

  public List<Declared.Target> targets() {
    return List.copyOf(targets);
  }

  public List<Declared.Route> routes() {
    return List.copyOf(routes);
  }

  public Optional<Declared.Integration> integration(String id) {
    return Optional.ofNullable(id == null ? null : integrations.get(id));
  }

  public Optional<Declared.Authorizer> authorizer(String id) {
    return Optional.ofNullable(id == null ? null : authorizers.get(id));
  }

  /** The HTTP API's CORS configuration, if the program declared one. */
  public Optional<Declared.ApiCors> apiCors() {
    return Optional.ofNullable(apiCors);
  }

  public List<Declared.BucketCors> bucketCors() {
    return List.copyOf(bucketCors);
  }

  public List<Declared.RolePolicy> rolePolicies() {
    return List.copyOf(rolePolicies);
  }

  /** Queue and bucket policies, by the ARN of the queue or bucket they govern. */
  public List<Declared.ResourcePolicy> resourcePolicies() {
    return List.copyOf(resourcePolicies);
  }

  /** The async invoke config declared for a function, by name or ARN. */
  public Declared.AsyncConfig asyncConfig(String name, String arn) {
    return asyncConfigs.stream()
        .filter(c -> c.function().equals(name) || c.function().equals(arn) || aliasTarget(c.function()).equals(arn))
        .findFirst()
        .orElse(null);
  }

  /**
   * The function ARN that a function ARN, an alias or version ARN, an API Gateway invoke ARN or
   * a function name refers to.
   */
  public Optional<String> resolveFunctionArn(String reference) {
    if (reference == null) {
      return Optional.empty();
    }
    String ref = reference;
    int path = ref.indexOf("/functions/");
    if (ref.startsWith("arn:aws:apigateway:") && path >= 0) {
      ref = ref.substring(path + "/functions/".length()).replaceFirst("/invocations$", "");
    }
    String target = aliasTarget(ref);
    if (functionsByArn.containsKey(target)) {
      return Optional.of(target);
    }
    String name = ref;
    return functionsByArn.values().stream().filter(f -> f.name().equals(name)).map(Declared.Function::arn).findFirst();
  }

  private String aliasTarget(String arn) {
    return aliases.getOrDefault(arn, arn);
  }

  private ResourceResult create(ResourceArgs args) {
    Map<String, Object> in = args.inputs;
    Map<String, Object> state = new LinkedHashMap<>(in);
    String type = args.type;
    String name = args.name;
    String id;
    switch (type) {
      case "aws:sqs/queue:Queue" -> id = queue(name, in, state);
      case "aws:dynamodb/table:Table" -> id = table(name, in, state);
      case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket" -> id = bucket(name, in, state);
      case "aws:s3/bucketNotification:BucketNotification" -> {
        String bucket = string(in, "bucket");
        if (Boolean.TRUE.equals(in.get("eventbridge"))) {
          notifications.enableEventBridge(bucket);
          emulated(type, name, "S3 emits Object Created to the local bus");
        } else {
          notEmulated(type, name, "only EventBridge notifications are emulated");
        }
        id = bucket;
      }
      case "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2" -> {
        id = string(in, "bucket");
        List<Object> rules = list(in, "corsRules");
        if (rules.size() == 1) {
          @SuppressWarnings("unchecked")
          Map<String, Object> rule = (Map<String, Object>) rules.get(0);
          bucketCors.add(new Declared.BucketCors(id, strings(rule, "allowedOrigins"), strings(rule, "allowedMethods"),
              strings(rule, "allowedHeaders"), strings(rule, "exposeHeaders"),
              rule.get("maxAgeSeconds") instanceof Number n ? (int) Math.round(n.doubleValue()) : null));
          emulated(type, name, "S3Proxy's CORS settings, restarted with the rule; preflights answered as S3 does");
        } else {
          notEmulated(type, name, "S3Proxy serves one CORS rule, not " + rules.size());
        }
      }
      case "aws:sqs/queuePolicy:QueuePolicy" -> {
        String url = string(in, "queueUrl");
        id = url;
        String arn = queuesByArn.values().stream().filter(q -> q.url().equals(url)).map(Declared.Queue::arn)
            .findFirst().orElseThrow(() -> new IllegalStateException(name + ": no queue has the URL " + url));
        resourcePolicies.add(new Declared.ResourcePolicy(arn, string(in, "policy")));
        emulated(type, name, "evaluated with the role policies by IAM enforcement");
      }
      case "aws:s3/bucketPolicy:BucketPolicy" -> {
        id = string(in, "bucket");
        resourcePolicies.add(new Declared.ResourcePolicy("arn:aws:s3:::" + id, string(in, "policy")));
        emulated(type, name, "evaluated with the role policies by IAM enforcement, presigned PUTs included");
      }
      case "aws:s3/bucketVersioningV2:BucketVersioningV2" -> {
        id = string(in, "bucket");
        notEmulated(type, name, "S3Proxy keeps one version per key");
      }
      case "aws:lambda/function:Function" -> id = function(name, in, state);
      case "aws:lambda/alias:Alias" -> id = alias(name, in, state);
      case "aws:lambda/layerVersion:LayerVersion" -> {
        id = "arn:aws:lambda:" + region + ":" + account + ":layer:" + string(in, "layerName") + ":1";
        state.put("arn", id);
        state.put("layerArn", "arn:aws:lambda:" + region + ":" + account + ":layer:" + string(in, "layerName"));
        state.put("version", "1");
        emulated(type, name, "its archive is unpacked locally as under /opt; the worker runs its bin/ffmpeg");
      }
      case "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig" -> {
        String function = string(in, "functionName");
        Map<String, Object> destination = map(in, "destinationConfig");
        Map<String, Object> onFailure = destination == null ? null : map(destination, "onFailure");
        asyncConfigs.add(
            new Declared.AsyncConfig(
                function, intValue(in, "maximumRetryAttempts", 2), onFailure == null ? null : string(onFailure, "destination")));
        emulated(type, name, "async retries and on-failure destination");
        id = function;
      }
      case "aws:lambda/eventSourceMapping:EventSourceMapping" -> id = mapping(name, in, state);
      case "aws:cloudwatch/eventRule:EventRule" -> id = rule(name, in, state);
      case "aws:cloudwatch/eventTarget:EventTarget" -> {
        Map<String, Object> retry = map(in, "retryPolicy");
        Map<String, Object> dlq = map(in, "deadLetterConfig");
        targets.add(
            new Declared.Target(
                string(in, "rule"),
                Optional.ofNullable(string(in, "targetId")).orElse(name),
                string(in, "arn"),
                retry == null ? null : intValue(retry, "maximumRetryAttempts", 185),
                retry == null ? null : intValue(retry, "maximumEventAgeInSeconds", 86400),
                dlq == null ? null : string(dlq, "arn")));
        emulated(type, name, "delivered by the local event bus");
        id = name;
      }
      case "aws:apigatewayv2/api:Api" -> {
        id = "localapi";
        state.put("apiEndpoint", apiEndpoint);
        state.put("executionArn", "arn:aws:execute-api:" + region + ":" + account + ":" + id);
        state.put("arn", "arn:aws:apigateway:" + region + "::/apis/" + id);
        Map<String, Object> cors = map(in, "corsConfiguration");
        if (cors != null) {
          apiCors = new Declared.ApiCors(strings(cors, "allowOrigins"), strings(cors, "allowMethods"),
              strings(cors, "allowHeaders"), strings(cors, "exposeHeaders"), Boolean.TRUE.equals(cors.get("allowCredentials")),
              cors.get("maxAge") instanceof Number n ? (int) Math.round(n.doubleValue()) : null);
        }
        emulated(type, name, cors == null ? "served on loopback" : "served on loopback; CORS answered as API Gateway does");
      }
      case "aws:apigatewayv2/authorizer:Authorizer" -> {
        id = "auth-" + shortId();
        Map<String, Object> jwt = map(in, "jwtConfiguration");
        authorizers.put(
            id,
            new Declared.Authorizer(id, jwt == null ? null : string(jwt, "issuer"), jwt == null ? List.of() : strings(jwt, "audiences")));
        emulated(type, name, "JWT verified with a local signing key");
      }
      case "aws:apigatewayv2/integration:Integration" -> {
        id = "int-" + shortId();
        integrations.put(id, new Declared.Integration(id, string(in, "integrationUri")));
        emulated(type, name, "Lambda proxy, payload 2.0");
      }
      case "aws:apigatewayv2/route:Route" -> {
        id = "route-" + shortId();
        routes.add(
            new Declared.Route(string(in, "routeKey"), string(in, "target"), string(in, "authorizationType"), string(in, "authorizerId"),
                strings(in, "authorizationScopes")));
        emulated(type, name, "routed by the local HTTP API");
      }
      case "aws:apigatewayv2/stage:Stage" -> {
        id = Optional.ofNullable(string(in, "name")).orElse("$default");
        state.put("invokeUrl", apiEndpoint + "/");
        state.put("executionArn", "arn:aws:execute-api:" + region + ":" + account + ":localapi/" + id);
        state.put("arn", "arn:aws:apigateway:" + region + "::/apis/localapi/stages/" + id);
        emulated(type, name, "the $default stage");
      }
      case "aws:iam/role:Role" -> {
        id = Optional.ofNullable(string(in, "name")).orElse(name);
        String arn = "arn:aws:iam::" + account + ":role/" + id;
        state.put("arn", arn);
        state.put("name", id);
        state.put("uniqueId", "AROA" + shortId().toUpperCase(Locale.ROOT));
        notEmulated(type, name, "recorded; the local cloud checks calls against role policies only where IAM enforcement is on");
      }
      case "aws:iam/rolePolicy:RolePolicy" -> {
        id = string(in, "role") + ":" + Optional.ofNullable(string(in, "name")).orElse(name);
        rolePolicies.add(new Declared.RolePolicy(string(in, "role"), Optional.ofNullable(string(in, "name")).orElse(name), string(in, "policy")));
        notEmulated(type, name, "recorded for IAM enforcement");
      }
      case "aws:cloudwatch/logGroup:LogGroup" -> {
        id = Optional.ofNullable(string(in, "name")).orElse(name);
        state.put("arn", "arn:aws:logs:" + region + ":" + account + ":log-group:" + id);
        state.put("name", id);
        notEmulated(type, name, "function logs go to the local log file");
      }
      default -> {
        id = name + "-" + shortId();
        if (type.startsWith("priority-queues:")) {
          // Component resources have no provider side.
          return ResourceResult.of(Optional.of(id), state);
        }
        state.putIfAbsent("arn", "arn:aws:local:" + region + ":" + account + ":" + type.replace(':', '/') + "/" + name);
        notEmulated(type, name, "no local server for this resource type");
      }
    }
    state.putIfAbsent("id", id);
    return ResourceResult.of(Optional.of(id), state);
  }

  private String queue(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = Optional.ofNullable(string(in, "name")).orElse(logical);
    if (Boolean.TRUE.equals(in.get("fifoQueue")) && !name.endsWith(".fifo")) {
      name = name + ".fifo";
    }
    Map<QueueAttributeName, String> attributes = new HashMap<>();
    putNumber(attributes, QueueAttributeName.VISIBILITY_TIMEOUT, in.get("visibilityTimeoutSeconds"));
    putNumber(attributes, QueueAttributeName.MESSAGE_RETENTION_PERIOD, in.get("messageRetentionSeconds"));
    putNumber(attributes, QueueAttributeName.DELAY_SECONDS, in.get("delaySeconds"));
    putNumber(attributes, QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, in.get("receiveWaitTimeSeconds"));
    putNumber(attributes, QueueAttributeName.MAXIMUM_MESSAGE_SIZE, in.get("maxMessageSize"));
    if (in.get("redrivePolicy") instanceof String redrive && !redrive.isBlank()) {
      attributes.put(QueueAttributeName.REDRIVE_POLICY, redrive);
    }
    if (Boolean.TRUE.equals(in.get("fifoQueue"))) {
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
    }
    String queueName = name;
    String url = sqs.createQueue(b -> b.queueName(queueName).attributes(attributes)).queueUrl();
    String arn = "arn:aws:sqs:" + region + ":" + account + ":" + name;
    queuesByArn.put(arn, new Declared.Queue(logical, name, url, arn));
    state.put("url", url);
    state.put("arn", arn);
    state.put("name", name);
    List<String> notes = new ArrayList<>();
    if (in.get("redriveAllowPolicy") != null) {
      notes.add("redrive-allow policy not emulated (ElasticMQ drops it)");
    }
    if (Boolean.TRUE.equals(in.get("sqsManagedSseEnabled")) || in.get("kmsMasterKeyId") != null) {
      notes.add("encryption at rest not emulated");
    }
    emulated("aws:sqs/queue:Queue", logical, notes.isEmpty() ? "ElasticMQ" : "ElasticMQ; " + String.join("; ", notes));
    return url;
  }

  private String table(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = Optional.ofNullable(string(in, "name")).orElse(logical);
    String hash = string(in, "hashKey");
    String range = string(in, "rangeKey");
    List<KeySchemaElement> keys = new ArrayList<>();
    keys.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
    if (range != null) {
      keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
    }
    List<AttributeDefinition> definitions = new ArrayList<>();
    for (Object raw : list(in, "attributes")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> attribute = (Map<String, Object>) raw;
      definitions.add(
          AttributeDefinition.builder().attributeName(string(attribute, "name")).attributeType(string(attribute, "type")).build());
    }
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    for (Object raw : list(in, "globalSecondaryIndexes")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> index = (Map<String, Object>) raw;
      List<KeySchemaElement> indexKeys = new ArrayList<>();
      indexKeys.add(KeySchemaElement.builder().attributeName(string(index, "hashKey")).keyType(KeyType.HASH).build());
      if (string(index, "rangeKey") != null) {
        indexKeys.add(KeySchemaElement.builder().attributeName(string(index, "rangeKey")).keyType(KeyType.RANGE).build());
      }
      indexes.add(GlobalSecondaryIndex.builder().indexName(string(index, "name")).keySchema(indexKeys)
          .projection(p -> p.projectionType(string(index, "projectionType"))
              .nonKeyAttributes(list(index, "nonKeyAttributes").isEmpty() ? null : strings(index, "nonKeyAttributes")))
          .build());
    }
    dynamoDb.createTable(b -> {
      b.tableName(name).keySchema(keys).attributeDefinitions(definitions).billingMode(BillingMode.PAY_PER_REQUEST);
      if (!indexes.isEmpty()) {
        b.globalSecondaryIndexes(indexes);
      }
    });
    Map<String, Object> ttl = map(in, "ttl");
    if (ttl != null && Boolean.TRUE.equals(ttl.get("enabled"))) {
      String attribute = string(ttl, "attributeName");
      dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true)));
    }
    String arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
    state.put("arn", arn);
    state.put("name", name);
    emulated("aws:dynamodb/table:Table", logical, "DynamoDB Local; point-in-time recovery and encryption not emulated");
    return name;
  }

  private String bucket(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = string(in, "bucket");
    if (name == null) {
      String prefix = string(in, "bucketPrefix");
      name = (prefix != null ? prefix : logical).toLowerCase(Locale.ROOT);
    }
    String bucket = name;
    s3.createBucket(b -> b.bucket(bucket));
    state.put("bucket", bucket);
    state.put("arn", "arn:aws:s3:::" + bucket);
    state.put("bucketDomainName", bucket + ".s3.amazonaws.com");
    state.put("bucketRegionalDomainName", bucket + ".s3." + region + ".amazonaws.com");
    state.put("region", region);
    emulated("aws:s3/bucketV2:BucketV2", logical, "S3Proxy");
    return bucket;
  }

  private String function(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = Optional.ofNullable(string(in, "name")).orElse(logical);
    String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Object> environment = map(in, "environment");
    if (environment != null && map(environment, "variables") != null) {
      map(environment, "variables").forEach((k, v) -> env.put(k, String.valueOf(v)));
    }
    Integer reserved = in.get("reservedConcurrentExecutions") instanceof Number n && n.intValue() >= 0 ? n.intValue() : null;
    Map<String, Object> dlq = map(in, "deadLetterConfig");
    functionsByArn.put(
        arn,
        new Declared.Function(
            logical, name, arn, string(in, "handler"), env, intValue(in, "timeout", 3), intValue(in, "memorySize", 128),
            reserved, string(in, "role"), dlq == null ? null : string(dlq, "targetArn"),
            map(in, "snapStart") != null && "PublishedVersions".equals(string(map(in, "snapStart"), "applyOn"))));
    state.put("arn", arn);
    state.put("name", name);
    state.put("version", "1");
    state.put("qualifiedArn", arn + ":1");
    state.put("invokeArn", invokeArn(arn));
    state.put("qualifiedInvokeArn", invokeArn(arn + ":1"));
    state.put("lastModified", java.time.Instant.now().toString());
    state.put("sourceCodeHash", "local");
    emulated("aws:lambda/function:Function", logical, "run in-process from its handler class");
    return name;
  }

  private String alias(String logical, Map<String, Object> in, Map<String, Object> state) {
    String function = string(in, "functionName");
    String target =
        functionsByArn.values().stream()
            .filter(f -> f.name().equals(function) || f.arn().equals(function))
            .map(Declared.Function::arn)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("alias " + logical + " names an unknown function " + function));
    String aliasName = Optional.ofNullable(string(in, "name")).orElse(logical);
    String arn = target + ":" + aliasName;
    aliases.put(arn, target);
    aliases.put(target + ":1", target);
    state.put("arn", arn);
    state.put("invokeArn", invokeArn(arn));
    state.put("name", aliasName);
    emulated("aws:lambda/alias:Alias", logical, "resolves to its function");
    return arn;
  }

  private String mapping(String logical, Map<String, Object> in, Map<String, Object> state) {
    Map<String, Object> scaling = map(in, "scalingConfig");
    Map<String, Object> pollers = map(in, "provisionedPollerConfig");
    List<Object> responseTypes = list(in, "functionResponseTypes");
    String uuid = UUID.randomUUID().toString();
    mappings.add(
        new Declared.Mapping(
            uuid,
            string(in, "eventSourceArn"),
            string(in, "functionName"),
            intValue(in, "batchSize", 10),
            intValue(in, "maximumBatchingWindowInSeconds", 0),
            scaling == null || scaling.get("maximumConcurrency") == null ? null : intValue(scaling, "maximumConcurrency", 0),
            responseTypes.contains("ReportBatchItemFailures"),
            !Boolean.FALSE.equals(in.get("enabled")),
            pollers == null || pollers.get("minimumPollers") == null ? null : intValue(pollers, "minimumPollers", 0),
            pollers == null || pollers.get("maximumPollers") == null ? null : intValue(pollers, "maximumPollers", 0)));
    state.put("uuid", uuid);
    state.put("state", "Enabled");
    state.put("functionArn", string(in, "functionName"));
    emulated("aws:lambda/eventSourceMapping:EventSourceMapping", logical, "polled by the local cloud");
    return uuid;
  }

  private String rule(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = Optional.ofNullable(string(in, "name")).orElse(logical);
    String arn = "arn:aws:events:" + region + ":" + account + ":rule/" + name;
    boolean enabled = !"DISABLED".equals(string(in, "state")) && !Boolean.FALSE.equals(in.get("isEnabled"));
    rules.put(name, new Declared.Rule(name, arn, string(in, "eventPattern"), enabled));
    state.put("arn", arn);
    state.put("name", name);
    emulated("aws:cloudwatch/eventRule:EventRule", logical, "matched with event-ruler");
    return name;
  }

  private String invokeArn(String functionArn) {
    return "arn:aws:apigateway:" + region + ":lambda:path/2015-03-31/functions/" + functionArn + "/invocations";
  }

  private void emulated(String type, String name, String note) {
    resources.add(new Declared.Resource(type, name, true, note));
  }

  private void notEmulated(String type, String name, String note) {
    resources.add(new Declared.Resource(type, name, false, note));
  }

  private static void putNumber(Map<QueueAttributeName, String> attributes, QueueAttributeName name, Object value) {
    if (value instanceof Number number) {
      // Pulumi passes numbers as doubles; ElasticMQ, like SQS, wants whole numbers.
      attributes.put(name, Long.toString(Math.round(number.doubleValue())));
    }
  }

  static String string(Map<String, Object> in, String key) {
    Object value = in.get(key);
    return value == null ? null : String.valueOf(value);
  }

  static int intValue(Map<String, Object> in, String key, int defaultValue) {
    return in.get(key) instanceof Number number ? (int) Math.round(number.doubleValue()) : defaultValue;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> in, String key) {
    return in.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> in, String key) {
    return in.get(key) instanceof List<?> l ? (List<Object>) l : Collections.emptyList();
  }

  static List<String> strings(Map<String, Object> in, String key) {
    return list(in, key).stream().map(String::valueOf).toList();
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
