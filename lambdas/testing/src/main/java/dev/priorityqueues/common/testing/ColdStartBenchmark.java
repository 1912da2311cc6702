package dev.priorityqueues.common.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.priorityqueues.common.NewUpload;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Scopes;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.local.servers.LambdaContext;
import dev.priorityqueues.local.servers.LocalAws;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Cold start of each handler against the local servers, as a multiple of a floor measured in the
 * same run. For every function and run, two fresh JVMs (C1 only, as Lambda's java21 runs them):
 * the <b>handler</b> JVM loads the archive, builds the handler and invokes it once with a real
 * event; the <b>floor</b> JVM builds the same SDK clients from the same archive and makes one call
 * with each. Each figure is the process's wall time, start to exit, median of the runs.
 *
 * <p>Run with {@code ./pq coldstart [runs]} from the repository root, which builds the
 * archives. Not a test: its numbers depend on the machine; only their ratio means much.
 */
public final class ColdStartBenchmark {
  private ColdStartBenchmark() {}

  public static void main(String[] args) {
    int status = 0;
    try {
      run(args.length > 0 ? Integer.parseInt(args[0]) : 5);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // DynamoDB Local leaves non-daemon threads behind.
    System.exit(status);
  }

  private static void run(int runs) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    LocalAws.shared();
    TestStack stack = TestStack.create("coldstart");
    Path work = Files.createTempDirectory("pq-cold-start");
    Path env = work.resolve("env.properties");
    write(stack.env(), env);
    // The status routes take their own scope (statusJwtScopes), which the program sets for them.
    Path statusEnv = work.resolve("env-status.properties");
    Map<String, String> status = new LinkedHashMap<>(stack.env());
    status.put(FunctionEnv.JWT_SCOPES, Scopes.READ_DEFAULT);
    write(status, statusEnv);
    // The worker's first job is inspected, not transcoded: a transcode's time is the codec's own
    // (docs/benchmarks/transcode.md), and Lambda's /opt/bin/ffmpeg is not on this machine.
    Path workerEnv = work.resolve("env-worker.properties");
    Map<String, String> worker = new LinkedHashMap<>(stack.env());
    worker.put(FunctionEnv.PROCESSOR, "inspect");
    write(worker, workerEnv);

    // Everything ColdStartChild's handler mode touches outside the archive, the Context it passes included.
    String handlerClassPath = String.join(File.pathSeparator, location(ColdStartChild.class),
        location(LambdaEventSerializers.class), location(Context.class), location(LambdaContext.class));
    List<String> rows = new ArrayList<>();
    for (Functions function : Functions.all()) {
      Path jar = root.resolve(function.archive());
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing; build the archives first");
      }
      String floorClassPath = location(ColdStartChild.class) + File.pathSeparator + jar;
      List<Long> floors = new ArrayList<>();
      List<Long> handlers = new ArrayList<>();
      String last = "";
      for (int run = 0; run < runs; run++) {
        Path event = work.resolve(function.id() + "-" + run + ".json");
        Files.writeString(event, event(function, stack, root));
        floors.add(time(floorClassPath,
            List.of("floor", function.id(), env.toString(), stack.tier("premium").dlqUrl())).millis());
        Timed handler = time(handlerClassPath,
            List.of("handler", jar.toString(), function.handlerClass(),
                (function == Functions.STATUS ? statusEnv : function == Functions.WORKER ? workerEnv : env).toString(),
                event.toString()));
        handlers.add(handler.millis());
        last = handler.output();
      }
      long floor = median(floors);
      long handler = median(handlers);
      rows.add(String.format("| %s | %d | %d | %.2f | %s |", function.id(), floor, handler,
          (double) handler / floor, last.strip().replace('|', '/')));
    }
    System.out.println();
    System.out.println("Cold start, median of " + runs + " fresh JVMs (java " + Runtime.version().feature()
        + ", " + Functions.LAMBDA_JIT_FLAG + "), wall ms from process start to exit:");
    System.out.println();
    System.out.println("| function | floor (SDK clients + one call each) | handler (init + first invoke) | ratio | last handler run |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  /** An event the function acts on for real, with the resources it needs in place. */
  private static String event(Functions function, TestStack stack, Path root) throws IOException {
    VideoStore videos = new VideoStore(TestStack.dynamoDb(), stack.videosTable());
    switch (function) {
      case PRESIGN -> {
        return Files.readString(root.resolve("lambdas/presign/src/test/resources/events/http-api-post-uploads.json"));
      }
      case STATUS -> {
        return Files.readString(root.resolve("lambdas/status/src/test/resources/events/http-api-list-uploads.json"));
      }
      case ROUTER -> {
        String key = Keys.uploadKey("cold", UUID.randomUUID(), "mp4");
        videos.createPending(new NewUpload(key, "cold", "a.mp4", "video/mp4", 7136, Instant.now(), Instant.now().plusSeconds(900)));
        return Files.readString(root.resolve("lambdas/router/src/test/resources/events/eventbridge-s3-object-created.json"))
            .replace("pq-uploads-example", stack.bucket())
            .replace("uploads/0f8fad5b-d9cb-469f-a165-70867728950e/7c9e6679-7425-40de-944b-e07fc1f90ae7.mp4", key);
      }
      case WORKER -> {
        String key = Keys.uploadKey("cold", UUID.randomUUID(), "mp4");
        TestStack.s3().putObject(b -> b.bucket(stack.bucket()).key(key),
            RequestBody.fromFile(root.resolve("lambdas/worker/src/test/resources/samples/sample.mp4")));
        Instant now = Instant.now();
        videos.createPending(new NewUpload(key, "cold", "a.mp4", "video/mp4", 7136, now, now.plusSeconds(900)));
        Job job = new Job(UUID.randomUUID().toString(), stack.bucket(), key, "cold", "regular", now);
        videos.queue(key, job.jobId(), "regular", 7136L, "cold-start", now);
        Tier tier = stack.tier("regular");
        TestStack.sqs().sendMessage(b -> b.queueUrl(tier.queueUrl()).messageBody(job.toJson()));
        return SqsEventSource.eventJson(tier, TestStack.sqs().receiveMessage(b -> b.queueUrl(tier.queueUrl())
            .maxNumberOfMessages(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages());
      }
      default -> throw new IllegalArgumentException(function.id());
    }
  }

  private record Timed(long millis, String output) {}

  private static Timed time(String classPath, List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        Functions.LAMBDA_JIT_FLAG, "-cp", classPath, ColdStartChild.class.getName()));
    command.addAll(arguments);
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    int exit = process.waitFor();
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (exit != 0) {
      throw new IllegalStateException("cold start child failed (" + exit + "): " + output);
    }
    String[] lines = output.strip().split("\n");
    return new Timed(millis, lines[lines.length - 1]);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static void write(Map<String, String> env, Path file) throws IOException {
    Properties properties = new Properties();
    new LinkedHashMap<>(env).forEach(properties::setProperty);
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "environment of the cold-start runs");
    }
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
