package dev.priorityqueues.local.cloud;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.local.api.LocalHttpApi;
import dev.priorityqueues.local.api.LocalIdentity;
import dev.priorityqueues.local.deploy.Declared;
import dev.priorityqueues.local.deploy.LocalDeployer;
import dev.priorityqueues.local.events.LocalEventBus;
import dev.priorityqueues.local.events.LocalPutEvents;
import dev.priorityqueues.local.events.S3EventNotifications;
import dev.priorityqueues.local.lambda.InvocationFaults;
import dev.priorityqueues.local.lambda.LocalFunction;
import dev.priorityqueues.local.sdk.CallHook;
import dev.priorityqueues.local.sdk.CallScope;
import dev.priorityqueues.local.sdk.Caller;
import dev.priorityqueues.local.servers.LocalAws;
import dev.priorityqueues.local.sqs.FairQueues;
import dev.priorityqueues.local.sqs.LocalEventSourceMapping;
import dev.priorityqueues.local.sqs.MappingScaling;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import dev.priorityqueues.local.iam.IamEnforcement;
import dev.priorityqueues.local.iam.IamPolicy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local cloud: the Pulumi program deployed onto local AWS-API servers through Pulumi's own
 * test harness, and the functions, event source mappings, event rules and HTTP routes it
 * declares, running. Start one with {@link #start(Options)}; close it to stop everything.
 */
public final class LocalCloud implements AutoCloseable {

  /** How to start a local cloud: a program and a stack name, plus optional settings. */
  public static final class Options {
    private final String stack;
    private final Consumer<Context> program;
    private String project = "priority-queues";
    private final Map<String, Map<String, String>> environmentOverrides = new HashMap<>();
    private int accountConcurrency = 1000;
    private Duration asyncRetryBase = Duration.ofMillis(200);
    private Duration attributeLag = Duration.ZERO;
    private InvocationFaults faults = InvocationFaults.NONE;
    private LocalAws.Options servers = LocalAws.Options.inMemory();
    private boolean enforceIam = true;
    private boolean fairQueues = true;
    private UnaryOperator<List<Declared.RolePolicy>> policyEditor = UnaryOperator.identity();
    private LongSupplier awsClock;
    private final List<CallHook> hooks = new ArrayList<>();

    private Options(String stack, Consumer<Context> program) {
      this.stack = Objects.requireNonNull(stack, "stack");
      this.program = Objects.requireNonNull(program, "program");
    }

    public static Options of(String stack, Consumer<Context> program) {
      return new Options(stack, program);
    }

    public Options project(String name) {
      this.project = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Extra environment for each function whose declared or logical name starts with {@code prefix}. */
    public Options environment(String prefix, Map<String, String> variables) {
      environmentOverrides.computeIfAbsent(prefix, k -> new HashMap<>()).putAll(variables);
      return this;
    }

    /** The account's concurrency, shared by functions that reserve none. */
    public Options accountConcurrency(int limit) {
      this.accountConcurrency = limit;
      return this;
    }

    /** Lambda's async retries wait about a minute, then two; locally the first wait is this. */
    public Options asyncRetryBase(Duration base) {
      this.asyncRetryBase = Objects.requireNonNull(base, "base");
      return this;
    }

    /** Lag of SQS's approximate counts as functions see them (real SQS lags; ElasticMQ does not). */
    public Options attributeLag(Duration lag) {
      this.attributeLag = Objects.requireNonNull(lag, "lag");
      return this;
    }

    public Options faults(InvocationFaults invocationFaults) {
      this.faults = Objects.requireNonNull(invocationFaults, "faults");
      return this;
    }

    /** A hook on this cloud's SDK calls from its first call on (fault injection), before IAM's. */
    public Options hook(CallHook hook) {
      hooks.add(Objects.requireNonNull(hook, "hook"));
      return this;
    }

    public Options servers(LocalAws.Options serverOptions) {
      this.servers = Objects.requireNonNull(serverOptions, "servers");
      return this;
    }

    /** Turns IAM enforcement off (it is on by default). */
    public Options withoutIam() {
      this.enforceIam = false;
      return this;
    }

    /** Turns the emulation of SQS fair queues off (it is on by default, as fair queues are on AWS). */
    public Options withoutFairQueues() {
      this.fairQueues = false;
      return this;
    }

    /**
     * The clock of AWS time (nanoseconds) that drives the mappings' scaling ramps: a test steps it,
     * a time-scaled benchmark runs it faster ({@link MappingScaling#scaledClock}). Real time by default.
     */
    public Options awsClock(LongSupplier clock) {
      this.awsClock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Edits the role policies before they are enforced: tests remove a statement to prove it is needed. */
    public Options policies(UnaryOperator<List<Declared.RolePolicy>> editor) {
      this.policyEditor = Objects.requireNonNull(editor, "editor");
      return this;
    }
  }

  /** Timings of the start, for the closing report. */
  public record StartTimes(LocalAws.StartupTimes servers, Duration deploy, Duration wiring, Duration total) {}

  private final LocalAws aws;
  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;
  private final S3Client s3;
  private final ExecutorService deployPool;
  private final LocalHttpApi api;
  private final LocalEventBus bus;
  private final LocalPutEvents putEvents;
  /** This cloud's SDK calls: its hooks, counts and attribute lag, apart from any other cloud's. */
  private final CallScope calls;
  private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
  private final List<LocalEventSourceMapping> mappings = new ArrayList<>();
  private final Map<String, LocalIdentity> identities = new HashMap<>();
  private final Map<String, Object> outputs = new TreeMap<>();
  private final List<Declared.Resource> resources;
  private final LocalDeployer deployer;
  private final StartTimes startTimes;
  private final Thread lagSampler;
  private final IamEnforcement iam;
  private final FairQueues fairQueues;

  private LocalCloud(Options options) {
    long begin = System.nanoTime();
    S3EventNotifications notifications = new S3EventNotifications(LocalAws.REGION, LocalAws.ACCOUNT_ID);
    this.aws = LocalAws.start(options.servers.withS3BlobStore(notifications::wrap));
    try {
      this.sqs = aws.sqs();
      this.dynamoDb = aws.dynamoDb();
      this.s3 = aws.s3();
      this.bus = new LocalEventBus(options.asyncRetryBase, 8);
      notifications.sendTo(event -> Caller.DRIVER.run(() -> bus.put(event)));
      this.putEvents = new LocalPutEvents(bus, LocalAws.ACCOUNT_ID, LocalAws.REGION);
      this.calls = CallScope.bind(aws, putEvents.endpoint());
      options.hooks.forEach(calls::addHook);
      this.api = new LocalHttpApi("localapi", LocalAws.ACCOUNT_ID);
      this.deployPool = Executors.newFixedThreadPool(3, Thread.ofPlatform().daemon().name("deploy-", 0).factory());

      long deployStart = System.nanoTime();
      this.deployer = new LocalDeployer(sqs, dynamoDb, s3, notifications, deployPool, api.endpoint().toString());
      TestResult result =
          PulumiTest.withOptions(
                  TestOptions.builder().projectName(options.project).stackName(options.stack).preview(false).build())
              .withMocks(deployer)
              .runTest(options.program);
      try {
        if (result.exitCode() != 0) {
          List<String> problems = new ArrayList<>(new java.util.LinkedHashSet<>(result.errors()));
          result.exceptions().forEach(e -> problems.add(rootMessage(e)));
          throw new IllegalStateException("the program failed to deploy locally:\n  " + String.join("\n  ", problems));
        }
        result.outputs().forEach((name, output) -> outputs.put(name, value(output)));
      } finally {
        PulumiTest.cleanup();
      }
      long wiringStart = System.nanoTime();
      this.resources = List.copyOf(deployer.resources());
      wire(options);
      // Fair queues matter only where the router sends message groups (the fairQueues setting).
      boolean groupsSent = deployer.functions().stream()
          .anyMatch(f -> "true".equals(f.environment().get(FunctionEnv.FAIR_QUEUES)));
      this.fairQueues = options.fairQueues && groupsSent ? fairQueues() : null;
      // PutEvents is plain HTTP to the local bus, outside the SDK's interceptors: count it for the
      // function the program gives a bus to publish on (the worker).
      deployer.functions().stream()
          .filter(f -> f.environment().containsKey(FunctionEnv.EVENT_BUS))
          .map(Declared.Function::name)
          .findFirst()
          .ifPresent(publisher -> putEvents.onPutEvents(
              () -> calls.apiCalls().record(Caller.function(publisher), "EventBridge", "PutEvents")));
      this.iam = options.enforceIam ? iamEnforcement(options.policyEditor) : null;
      if (iam != null) {
        calls.addHook(iam);
        // Presigned PUTs go straight to S3Proxy: the bucket policy is checked in front of it.
        aws.s3Guard(iam);
      }
      calls.attributeLag().set(options.attributeLag.toMillis());
      this.lagSampler = options.attributeLag.isZero() ? null : startLagSampler(options.attributeLag);
      mappings.forEach(LocalEventSourceMapping::start);
      long end = System.nanoTime();
      this.startTimes =
          new StartTimes(
              aws.startupTimes(),
              Duration.ofNanos(wiringStart - deployStart),
              Duration.ofNanos(end - wiringStart),
              Duration.ofNanos(end - begin));
  
    } catch (RuntimeException | Error e) {
      // Stop what did start: servers, threads and hooks outlive a failed constructor otherwise.
      close();
      throw e;
    }
  }

  public static LocalCloud start(Options options) {
    return new LocalCloud(options);
  }

  private void wire(Options options) {
    Semaphore unreserved = new Semaphore(options.accountConcurrency, true);
    for (Declared.Function declared : deployer.functions()) {
      Map<String, String> overrides = new HashMap<>(aws.clientEnvironment());
      overrides.put(FunctionEnv.AWS_ENDPOINT_URL_EVENTBRIDGE, putEvents.endpoint().toString());
      options.environmentOverrides.forEach((prefix, variables) -> {
        if (declared.name().startsWith(prefix) || declared.logicalName().startsWith(prefix)) {
          overrides.putAll(variables);
        }
      });
      LocalFunction function =
          new LocalFunction(
              new LocalFunction.Spec(
                  declared.name(), declared.arn(), declared.handler(), declared.environment(),
                  declared.timeoutSeconds(), declared.memoryMb(), declared.reservedConcurrency(), declared.snapStart()),
              overrides, unreserved, options.faults);
      functions.put(declared.arn(), function);
    }
    for (Declared.Mapping declared : deployer.mappings()) {
      Declared.Queue queue = deployer.queue(declared.eventSourceArn())
          .orElseThrow(() -> new IllegalStateException("mapping " + declared.uuid() + " reads an unknown queue " + declared.eventSourceArn()));
      LocalFunction function = function(declared.functionRef());
      LocalEventSourceMapping.ProvisionedPollers pollers = declared.minimumPollers() == null && declared.maximumPollers() == null
          ? null
          : new LocalEventSourceMapping.ProvisionedPollers(
              Optional.ofNullable(declared.minimumPollers()).orElse(2), Optional.ofNullable(declared.maximumPollers()).orElse(200));
      mappings.add(
          new LocalEventSourceMapping(
              new LocalEventSourceMapping.Spec(
                  declared.uuid(), queue.url(), queue.arn(), function.name(), declared.batchSize(),
                  declared.batchingWindowSeconds(), declared.maximumConcurrency(), declared.reportBatchItemFailures(),
                  declared.enabled(), pollers),
              function, sqs, LocalAws.REGION,
              Optional.ofNullable(function.spec().reservedConcurrency()).orElse(options.accountConcurrency),
              options.awsClock != null ? options.awsClock : MappingScaling.scaledClock(1.0)));
    }
    deployer.rules().forEach(rule -> bus.addRule(new LocalEventBus.Rule(rule.name(), rule.arn(), rule.eventPattern(), rule.enabled())));
    for (Declared.Target target : deployer.targets()) {
      LocalFunction function = function(target.arn());
      Declared.AsyncConfig async = deployer.asyncConfig(function.spec().name(), function.spec().arn());
      String onFailure = async != null && async.onFailureDestination() != null
          ? async.onFailureDestination()
          : deployer.function(function.spec().arn()).deadLetterTargetArn();
      bus.addTarget(
          new LocalEventBus.Target(
              target.rule(), target.targetId(), function, async == null ? 2 : async.maximumRetryAttempts(),
              onFailure == null ? null : sendTo(onFailure, function.name())));
    }
    // A signed-in user of the local identity gets every scope the authorizer's routes require
    // (uploading and reading the status), as a web app's client would ask for them.
    Map<String, LinkedHashSet<String>> routeScopes = new HashMap<>();
    for (Declared.Route route : deployer.routes()) {
      if ("JWT".equals(route.authorizationType())) {
        routeScopes.computeIfAbsent(route.authorizerId(), id -> new LinkedHashSet<>()).addAll(route.authorizationScopes());
      }
    }
    for (Declared.Route route : deployer.routes()) {
      String integrationId = route.target() == null ? null : route.target().replaceFirst("^integrations/", "");
      Declared.Integration integration = deployer.integration(integrationId)
          .orElseThrow(() -> new IllegalStateException("route " + route.routeKey() + " targets an unknown integration " + route.target()));
      LocalIdentity identity = null;
      if ("JWT".equals(route.authorizationType())) {
        Declared.Authorizer authorizer = deployer.authorizer(route.authorizerId())
            .orElseThrow(() -> new IllegalStateException("route " + route.routeKey() + " names an unknown authorizer"));
        identity = identities.computeIfAbsent(authorizer.id(),
            id -> new LocalIdentity(authorizer.issuer(), authorizer.audiences(),
                List.copyOf(routeScopes.get(route.authorizerId())), Clock.systemUTC()));
      }
      api.addRoute(new LocalHttpApi.Route(route.routeKey(), function(integration.uri()), identity, route.authorizationScopes()));
    }
    deployer.apiCors().ifPresent(c -> api.cors(new LocalHttpApi.Cors(c.allowOrigins(), c.allowMethods(),
        c.allowHeaders(), c.exposeHeaders(), c.allowCredentials(), c.maxAge())));
    // Before any client runs: S3Proxy restarts to take the rule.
    deployer.bucketCors().forEach(c -> aws.s3Cors(new LocalAws.S3Cors(c.allowedOrigins(), c.allowedMethods(),
        c.allowedHeaders(), c.exposeHeaders(), c.maxAgeSeconds())));
  }

  /** SQS makes a standard queue fair when its messages carry a group; ElasticMQ needs the emulation. */
  private FairQueues fairQueues() {
    FairQueues fair = new FairQueues(sqs);
    mappings.forEach(m -> fair.enable(m.spec().queueUrl()));
    calls.addHook(fair);
    return fair;
  }

  private IamEnforcement iamEnforcement(UnaryOperator<List<Declared.RolePolicy>> editor) {
    Map<String, String> roleByFunction = new HashMap<>();
    for (Declared.Function function : deployer.functions()) {
      String roleArn = function.roleArn();
      if (roleArn != null) {
        roleByFunction.put(function.name(), roleArn.substring(roleArn.lastIndexOf('/') + 1));
      }
    }
    Map<String, List<IamPolicy>> policiesByRole = new HashMap<>();
    for (Declared.RolePolicy policy : editor.apply(deployer.rolePolicies())) {
      policiesByRole.computeIfAbsent(policy.role(), k -> new ArrayList<>()).add(IamPolicy.parse(policy.document()));
    }
    Map<String, IamPolicy> resourcePolicies = new HashMap<>();
    for (Declared.ResourcePolicy policy : deployer.resourcePolicies()) {
      resourcePolicies.put(policy.resource(), IamPolicy.parse(policy.document()));
    }
    return new IamEnforcement(roleByFunction, policiesByRole, resourcePolicies, deployer.customerKeys(), LocalAws.REGION,
        LocalAws.ACCOUNT_ID);
  }

  /** Every message a queue holds: visible, in flight and delayed (exact: ElasticMQ does not lag). */
  public int messagesIn(String queueUrl) {
    return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .attributesAsStrings().values().stream().mapToInt(Integer::parseInt).sum();
  }

  /** IAM enforcement, when on: its denials tell which call a role was missing. */
  public Optional<IamEnforcement> iam() {
    return Optional.ofNullable(iam);
  }

  /** The function an ARN, alias ARN, invoke ARN or name refers to. */
  public LocalFunction function(String reference) {
    String arn = deployer.resolveFunctionArn(reference)
        .orElseThrow(() -> new IllegalStateException("no declared function matches " + reference));
    return functions.get(arn);
  }

  /** The function whose declared name starts with {@code prefix} (names carry Pulumi's suffixes). */
  public LocalFunction functionNamed(String prefix) {
    return functions.values().stream()
        .filter(f -> f.name().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no function named " + prefix + "*; functions are " + functionNames()));
  }

  public List<String> functionNames() {
    return functions.values().stream().map(LocalFunction::name).toList();
  }

  /** Lambda sends a failed event to the destination with the function's own role, so IAM checks it. */
  private java.util.function.BiConsumer<String, String> sendTo(String queueArn, String functionName) {
    Declared.Queue queue = deployer.queue(queueArn)
        .orElseThrow(() -> new IllegalStateException("on-failure destination " + queueArn + " is not a declared queue"));
    return (record, event) -> Caller.poller(functionName)
        .run(() -> sqs.sendMessage(b -> b.queueUrl(queue.url()).messageBody(record)));
  }

  /** Samples the true counts of the queues functions read, often enough for the configured lag. */
  private Thread startLagSampler(Duration lag) {
    long every = Math.max(50, lag.toMillis() / 20);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        long now = System.currentTimeMillis();
        for (String url : calls.attributeLag().watched()) {
          try {
            Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings();
            calls.attributeLag().record(url, attributes, now);
          } catch (RuntimeException e) {
            return;
          }
        }
        try {
          Thread.sleep(every);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "sqs-attribute-lag");
    sampler.setDaemon(true);
    sampler.start();
    return sampler;
  }

  public LocalAws aws() {
    return aws;
  }

  /**
   * The SDK calls made to this cloud (by its functions, its pollers and the driver): their
   * counts, their attribute lag, and hooks such as fault injection ({@link CallScope#addHook}).
   */
  public CallScope calls() {
    return calls;
  }

  /** Driver-side clients for inspecting the local servers. */
  public SqsClient sqs() {
    return sqs;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public S3Client s3() {
    return s3;
  }

  public LocalHttpApi api() {
    return api;
  }

  public LocalEventBus bus() {
    return bus;
  }

  public List<LocalEventSourceMapping> mappings() {
    return List.copyOf(mappings);
  }

  public List<LocalFunction> functions() {
    return List.copyOf(functions.values());
  }

  /** The identity provider behind the (single) JWT authorizer. */
  public LocalIdentity identity() {
    if (identities.size() != 1) {
      throw new IllegalStateException("the program declares " + identities.size() + " JWT authorizers, not one");
    }
    return identities.values().iterator().next();
  }

  /** The stack outputs, as `pulumi stack output --json` would print them. */
  public Map<String, Object> outputs() {
    return Map.copyOf(outputs);
  }

  @SuppressWarnings("unchecked")
  public <T> T output(String name) {
    Object value = outputs.get(name);
    if (value == null) {
      throw new IllegalStateException("the program exports no output '" + name + "'; outputs are " + outputs.keySet());
    }
    return (T) value;
  }

  /**
   * A queue's or table's ARN, or a bucket's ({@code arn:aws:s3:::name}), → the customer-managed
   * key it is encrypted with ({@code kmsKey}); IAM enforcement checks the key's use on each.
   */
  public Map<String, String> customerKeys() {
    return deployer.customerKeys();
  }

  /** Every resource the program declared, with whether it runs locally and why not. */
  public List<Declared.Resource> resources() {
    return resources;
  }

  public StartTimes startTimes() {
    return startTimes;
  }

  @Override
  public void close() {
    if (iam != null) {
      aws.s3Guard(null);
    }
    if (lagSampler != null) {
      lagSampler.interrupt();
    }
    mappings.forEach(LocalEventSourceMapping::close);
    // Null only when the constructor failed before starting them.
    closeIfStarted(bus);
    closeIfStarted(putEvents);
    closeIfStarted(api);
    functions.values().forEach(LocalFunction::close);
    if (deployPool != null) {
      deployPool.shutdownNow();
    }
    closeIfStarted(sqs);
    closeIfStarted(dynamoDb);
    closeIfStarted(s3);
    // Last: the hooks see the calls until everything that makes them has stopped.
    closeIfStarted(calls);
    aws.close();
  }

  private static void closeIfStarted(AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop " + resource + ": " + e.getMessage(), e);
    }
  }

  private static Object value(Output<?> output) {
    return PulumiTest.extractValue(output);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
