package dev.priorityqueues.common.testing;

import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.local.servers.LambdaContext;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One cold start, in a fresh JVM started by {@link ColdStartBenchmark}:
 *
 * <ul>
 *   <li>{@code handler <jar> <handler class> <env file> <event file>}: load the archive, build
 *       the handler, invoke it once with the event, as the Lambda runtime does;
 *   <li>{@code floor <function> <env file> <queue url>}: build the same SDK clients (with the
 *       archive on the class path) and make one call with each, the least any handler must do.
 * </ul>
 *
 * It prints one line of phase timings; the parent measures the whole process.
 */
public final class ColdStartChild {
  private ColdStartChild() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    String mode = args[0];
    if (mode.equals("handler")) {
      try (IsolatedFunction function = IsolatedFunction.load(Path.of(args[1]), args[2], read(Path.of(args[3])))) {
        long built = System.nanoTime();
        String response = function.invoke(Files.readString(Path.of(args[4])), LambdaContext.of("cold-start"));
        long invoked = System.nanoTime();
        System.out.println("init=" + millis(built - start) + " invoke=" + millis(invoked - built)
            + " response=" + response.substring(0, Math.min(120, response.length())).replace('\n', ' '));
      }
    } else {
      Map<String, String> env = read(Path.of(args[2]));
      AwsClients clients = new AwsClients(new EnvReader(env));
      long built = System.nanoTime();
      floor(args[1], clients, env, args[3]);
      System.out.println("init=" + millis(built - start) + " invoke=" + millis(System.nanoTime() - built));
    }
    System.exit(0);
  }

  /** One call per client the function builds: the floor under its cold start. */
  private static void floor(String function, AwsClients clients, Map<String, String> env, String queueUrl) {
    String table = env.get(FunctionEnv.VIDEOS_TABLE);
    clients.dynamoDb().getItem(b -> b.tableName(table).key(Map.of("videoKey", AttributeValue.fromS("uploads/~floor"))));
    String bucket = env.get(FunctionEnv.BUCKET);
    switch (function) {
      case "presign" -> clients.presigner().presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
          .putObjectRequest(o -> o.bucket(bucket).key("uploads/~floor/x.mp4").contentType("video/mp4").contentLength(1L)));
      case "status" -> clients.presigner().presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(o -> o.bucket(bucket).key("processed/~floor")));
      case "router" -> clients.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody("floor"));
      case "worker" -> {
        clients.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        try {
          clients.s3().headObject(b -> b.bucket(bucket).key("uploads/~floor"));
        } catch (RuntimeException expected) {
          // 404 (an S3Exception, not named here: each archive lacks other services' classes).
        }
      }
      default -> throw new IllegalArgumentException("unknown function " + function);
    }
  }

  static Map<String, String> read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    Map<String, String> env = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> env.put(name, properties.getProperty(name)));
    return env;
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
