package dev.priorityqueues.local.servers;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ElasticMQ (SQS), DynamoDB Local and S3Proxy (S3), started in parallel on loopback inside this
 * JVM. They speak the real AWS wire protocols, so handlers run against them unchanged: only the
 * endpoints and credentials in {@link #clientEnvironment()} differ from AWS.
 *
 * <p>Tests use {@link #shared()}, which starts the servers once per JVM and stops them at exit.
 * The local cloud uses {@link #start(Options)} for an instance of its own.
 */
public final class LocalAws implements AutoCloseable {

  public static final String REGION = "us-east-1";
  public static final String ACCOUNT_ID = "123456789012";
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * S3Proxy checks signatures against this pair, so it is drawn afresh by every process that
   * starts the servers: a fixed, published pair would let anything that reaches the loopback
   * port read and write the local bucket. DynamoDB Local accepts only alphanumeric key ids.
   */
  public static final String ACCESS_KEY_ID = "LOCAL" + randomAlphanumeric(15);

  public static final String SECRET_ACCESS_KEY = randomAlphanumeric(40);

  private static String randomAlphanumeric(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /**
   * How to start an instance.
   *
   * @param s3Directory where S3Proxy keeps objects; {@code null} keeps them in memory
   * @param s3BlobStore wraps the S3 blob store, for example to observe successful uploads
   */
  public record Options(Path s3Directory, UnaryOperator<BlobStore> s3BlobStore) {
    public static Options inMemory() {
      return new Options(null, UnaryOperator.identity());
    }

    public Options withS3BlobStore(UnaryOperator<BlobStore> decorator) {
      return new Options(s3Directory, Objects.requireNonNull(decorator, "decorator"));
    }
  }

  /** How long each server took to start on its own, measured inside the parallel start. */
  public record StartupTimes(Duration sqs, Duration dynamoDb, Duration s3, Duration total) {
    public Duration slowestServer() {
      Duration max = sqs.compareTo(dynamoDb) >= 0 ? sqs : dynamoDb;
      return max.compareTo(s3) >= 0 ? max : s3;
    }
  }

  private static LocalAws shared;

  private final SQSRestServer sqsServer;
  private final DynamoDBProxyServer dynamoDbServer;
  private volatile S3Proxy s3Server;
  private final BlobStore s3Store;
  private final AtomicReference<S3Guard> s3Guard;
  private final URI sqsEndpoint;
  private final URI dynamoDbEndpoint;
  private final URI s3Endpoint;
  private final StartupTimes startupTimes;
  private final SdkHttpClient httpClient = UrlConnectionHttpClient.create();

  private LocalAws(
      SQSRestServer sqsServer,
      int sqsPort,
      DynamoDBProxyServer dynamoDbServer,
      int dynamoDbPort,
      S3 s3Server,
      StartupTimes startupTimes) {
    this.sqsServer = sqsServer;
    this.dynamoDbServer = dynamoDbServer;
    this.s3Server = s3Server.proxy();
    this.s3Store = s3Server.store();
    this.s3Guard = s3Server.guard();
    this.sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);
    this.dynamoDbEndpoint = URI.create("http://127.0.0.1:" + dynamoDbPort);
    this.s3Endpoint = URI.create("http://127.0.0.1:" + s3Server.proxy().getPort());
    this.startupTimes = startupTimes;
  }

  /** The servers for this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized LocalAws shared() {
    if (shared == null) {
      shared = start(Options.inMemory());
      LocalAws started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-aws-stop"));
    }
    return shared;
  }

  /** Starts a fresh, independent set of servers; the caller closes it. */
  public static LocalAws start(Options options) {
    Objects.requireNonNull(options, "options");
    long begin = System.nanoTime();
    ExecutorService starters = Executors.newFixedThreadPool(3, Thread.ofPlatform().daemon().name("local-aws-start-", 0).factory());
    CompletableFuture<Timed<SQSRestServer>> sqs =
        CompletableFuture.supplyAsync(() -> timed(LocalAws::startSqs), starters);
    CompletableFuture<Timed<DynamoDb>> dynamo =
        CompletableFuture.supplyAsync(() -> timed(LocalAws::startDynamoDb), starters);
    CompletableFuture<Timed<S3>> s3 =
        CompletableFuture.supplyAsync(() -> timed(() -> startS3(options)), starters);
    try {
      Timed<SQSRestServer> sqsServer = sqs.join();
      Timed<DynamoDb> dynamoServer = dynamo.join();
      Timed<S3> s3Server = s3.join();
      StartupTimes times =
          new StartupTimes(
              sqsServer.took(),
              dynamoServer.took(),
              s3Server.took(),
              Duration.ofNanos(System.nanoTime() - begin));
      return new LocalAws(
          sqsServer.value(),
          sqsServer.value().waitUntilStarted().localAddress().getPort(),
          dynamoServer.value().server(),
          dynamoServer.value().port(),
          s3Server.value(),
          times);
    } catch (RuntimeException e) {
      // Whichever servers did start are stopped, so a failed start leaves no port or thread behind.
      sqs.thenAccept(t -> quietly(() -> t.value().stopAndGetFuture()));
      dynamo.thenAccept(t -> quietly(t.value().server()::stop));
      s3.thenAccept(t -> quietly(t.value().proxy()::stop));
      throw new IllegalStateException("Could not start the local AWS servers: " + e.getMessage(), e);
    } finally {
      starters.shutdown();
    }
  }

  public URI sqsEndpoint() {
    return sqsEndpoint;
  }

  public URI dynamoDbEndpoint() {
    return dynamoDbEndpoint;
  }

  public URI s3Endpoint() {
    return s3Endpoint;
  }

  public StartupTimes startupTimes() {
    return startupTimes;
  }

  /**
   * The variables a function needs to reach these servers, named as the AWS SDKs name them
   * ({@code AWS_ENDPOINT_URL_<SERVICE>}). Handlers receive them through their injectable
   * configuration map, never through the process environment.
   */
  public Map<String, String> clientEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", REGION);
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
    env.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint.toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString());
    env.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
    return Map.copyOf(env);
  }

  /** An SQS client for test setup and assertions. Each call builds a new client. */
  public SqsClient sqs() {
    return SqsClient.builder()
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .endpointOverride(sqsEndpoint)
        .httpClient(httpClient)
        .build();
  }

  /** A DynamoDB client for test setup and assertions. Each call builds a new client. */
  public DynamoDbClient dynamoDb() {
    return DynamoDbClient.builder()
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .endpointOverride(dynamoDbEndpoint)
        .httpClient(httpClient)
        .build();
  }

  /** A path-style S3 client for test setup and assertions. Each call builds a new client. */
  public S3Client s3() {
    return S3Client.builder()
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .endpointOverride(s3Endpoint)
        .forcePathStyle(true)
        .httpClient(httpClient)
        .build();
  }

  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
  }

  @Override
  public void close() {
    // Not stopAndWait: ElasticMQ drains open long polls (up to 20 s each) before it stops, and
    // nothing here needs to wait for that.
    quietly(() -> sqsServer.stopAndGetFuture().apply());
    quietly(dynamoDbServer::stop);
    quietly(() -> s3Server.stop());
    httpClient.close();
  }

  private static SQSRestServer startSqs() {
    return SQSRestServerBuilder.withInterface("127.0.0.1")
        .withDynamicPort()
        .withAWSRegion(REGION)
        .withAWSAccountId(ACCOUNT_ID)
        .start();
  }

  /** DynamoDB Local does not report its port; its Jetty connector does, once started. */
  private record DynamoDb(DynamoDBProxyServer server, int port) {}

  private static DynamoDb startDynamoDb() {
    DynamoDBProxyServer server = null;
    try {
      // The port given here is replaced below: the connector binds a free one itself, so no
      // other socket can take it between choosing and binding.
      server = ServerRunner.createServerFromCommandLineArgs(
          new String[] {"-inMemory", "-port", "8000", "-disableTelemetry"});
      ServerConnector connector = loopbackConnector(server);
      server.start();
      return new DynamoDb(server, connector.getLocalPort());
    } catch (Exception e) {
      if (server != null) {
        quietly(server::stop);
      }
      throw new IllegalStateException("DynamoDB Local did not start: " + e.getMessage(), e);
    }
  }

  /**
   * DynamoDB Local has no option for its host and listens on every interface; the other two
   * servers listen on loopback only, and so must it: anyone on the network could otherwise read
   * and write the local tables. Its Jetty connector takes a host and port until it starts.
   */
  private static ServerConnector loopbackConnector(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length != 1 || !(connectors[0] instanceof ServerConnector network)) {
      throw new IllegalStateException("DynamoDB Local has unexpected connectors: " + Arrays.toString(connectors));
    }
    network.setHost("127.0.0.1");
    network.setPort(0);
    return network;
  }

  /** S3Proxy and the blob store it serves, kept so a restart keeps every object. */
  private record S3(S3Proxy proxy, BlobStore store, AtomicReference<S3Guard> guard) {}

  /**
   * Checks every S3 request with {@code guard} before S3Proxy sees it (null: none), until
   * replaced. It survives the restart {@link #s3Cors} makes.
   */
  public void s3Guard(S3Guard guard) {
    s3Guard.set(guard);
  }

  /** One bucket CORS rule: what a browser on these origins may send, and which headers it may read. */
  public record S3Cors(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
      List<String> exposeHeaders, Integer maxAgeSeconds) {
    public S3Cors {
      allowedOrigins = List.copyOf(allowedOrigins);
      allowedMethods = List.copyOf(allowedMethods);
      allowedHeaders = List.copyOf(allowedHeaders);
      exposeHeaders = List.copyOf(exposeHeaders);
    }
  }

  /**
   * Serves a bucket CORS rule: S3Proxy reads its CORS settings only when it starts, so it is
   * restarted on the same port and blob store (every object stays) with the rule, and adds the
   * CORS headers to allowed requests. Preflights are answered in front of it as S3 does
   * ({@link S3Preflight}): the rule's headers and max age, or 403 for another origin, method or
   * header. Call it before clients are busy: requests in flight during the restart fail.
   */
  public synchronized void s3Cors(S3Cors rule) {
    int port = s3Server.getPort();
    quietly(() -> s3Server.stop());
    // Origins are literal; S3Proxy reads them as patterns.
    CrossOriginResourceSharing cors = new CrossOriginResourceSharing(
        rule.allowedOrigins().stream().map(Pattern::quote).toList(), rule.allowedMethods(), rule.allowedHeaders(),
        rule.exposeHeaders(), "false");
    s3Server = startS3(s3Store, port, cors, rule, s3Guard);
  }

  private static S3 startS3(Options options) {
    BlobStore store =
        options.s3Directory() == null
            ? new TransientNio2BlobStore()
            : new FilesystemNio2BlobStore(options.s3Directory().toString());
    BlobStore served = options.s3BlobStore().apply(store);
    AtomicReference<S3Guard> guard = new AtomicReference<>();
    return new S3(startS3(served, 0, CrossOriginResourceSharing.disabled(), null, guard), served, guard);
  }

  /** S3Proxy's response buffer: a GET's body leaves in writes of up to this size. */
  static final int S3_OUTPUT_BUFFER_BYTES = 1024 * 1024;

  private static S3Proxy startS3(BlobStore store, int port, CrossOriginResourceSharing cors, S3Cors preflights,
      AtomicReference<S3Guard> guard) {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
            .corsRules(cors)
            .stopTimeout(0)
            .build();
    try {
      // S3Proxy keeps its Jetty server private; the guard and the preflight handler go in front of its own.
      Field field = S3Proxy.class.getDeclaredField("server");
      field.setAccessible(true);
      var server = (org.gaul.shaded.org.eclipse.jetty.server.Server) field.get(proxy);
      // S3 serves objects from its own hosts; S3Proxy serves them on the cores the functions and
      // FFmpeg use. Jetty's defaults (a 32 KiB buffer, writes of 8 KiB sent as they come) cost
      // 1.3-1.4 s of CPU per GB of a GET once warm; 1 MiB buffers 0.7-1.0 s (measured, docs/local-cloud.md).
      for (var connector : server.getConnectors()) {
        for (var factory : connector.getConnectionFactories()) {
          if (factory instanceof org.gaul.shaded.org.eclipse.jetty.server.HttpConnectionFactory http) {
            http.getHttpConfiguration().setOutputBufferSize(S3_OUTPUT_BUFFER_BYTES);
            http.getHttpConfiguration().setOutputAggregationSize(S3_OUTPUT_BUFFER_BYTES / 4);
          }
        }
      }
      var handler = server.getHandler();
      if (preflights != null) {
        handler = new S3Preflight(handler, preflights);
      }
      server.setHandler(new S3Guarded(handler, guard));
      proxy.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy is still " + proxy.getState() + " after 30 s");
        }
        Thread.sleep(10);
      }
      return proxy;
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not start: " + e.getMessage(), e);
    }
  }

  private record Timed<T>(T value, Duration took) {}

  private static <T> Timed<T> timed(java.util.function.Supplier<T> start) {
    long begin = System.nanoTime();
    T value = start.get();
    return new Timed<>(value, Duration.ofNanos(System.nanoTime() - begin));
  }

  private interface Stopper {
    void stop() throws Exception;
  }

  private static void quietly(Stopper stopper) {
    try {
      stopper.stop();
    } catch (Exception ignored) {
      // Stopping is best effort: the JVM may already be exiting.
    }
  }
}
