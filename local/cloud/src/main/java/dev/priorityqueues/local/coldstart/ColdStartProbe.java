package dev.priorityqueues.local.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Runs in a fresh JVM whose classpath is one function jar (plus the Lambda runtime's event
 * serializer), the way the java21 runtime starts a function: construct the handler from its
 * environment, deserialize the event, invoke once. Prints one line of timings. It uses only the
 * JDK, aws-lambda-java-core and the serializer, so the function jar supplies everything else.
 *
 * <p>Usage: {@code ColdStartProbe <handler class> <env properties file> <event json file>}
 */
public final class ColdStartProbe {
  private ColdStartProbe() {}

  public static void main(String[] args) throws Exception {
    long mainNanos = System.nanoTime();
    long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    long mainMillis = System.currentTimeMillis();
    if (args.length != 3) {
      System.err.println("usage: ColdStartProbe <handler class> <env properties file> <event json file>");
      System.exit(2);
    }
    Map<String, String> env = readEnv(Path.of(args[1]));
    String event = Files.readString(Path.of(args[2]));
    // Handlers log to stdout; keep the probe's own output to one line on the real stdout.
    PrintStream out = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    long initStart = System.nanoTime();
    Class<?> type = Class.forName(args[0]);
    Object handler = type.getConstructor(Map.class).newInstance(env);
    long initNanos = System.nanoTime() - initStart;

    long invokeStart = System.nanoTime();
    Method method = handlerMethod(type);
    @SuppressWarnings("unchecked")
    PojoSerializer<Object> input =
        (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(method.getParameterTypes()[0], type.getClassLoader());
    Object response = method.invoke(handler, input.fromJson(event), new ProbeContext());
    long invokeNanos = System.nanoTime() - invokeStart;

    out.printf(
        "{\"jvmToMainMillis\":%d,\"initMillis\":%.1f,\"firstInvokeMillis\":%.1f,\"totalMillis\":%.1f,\"response\":\"%s\"}%n",
        mainMillis - jvmStartMillis,
        initNanos / 1e6,
        invokeNanos / 1e6,
        (mainMillis - jvmStartMillis) + (System.nanoTime() - mainNanos) / 1e6,
        String.valueOf(response).replace("\"", "'").replace("\n", " "));
  }

  static Map<String, String> readEnv(Path file) throws IOException {
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    Map<String, String> env = new LinkedHashMap<>();
    properties.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
    return env;
  }

  private static Method handlerMethod(Class<?> type) {
    for (Method method : type.getMethods()) {
      if (method.getName().equals("handleRequest")
          && !method.isBridge()
          && method.getParameterCount() == 2
          && method.getParameterTypes()[1] == Context.class) {
        return method;
      }
    }
    throw new IllegalStateException(type + " has no handleRequest(<event>, Context)");
  }

  private static final class ProbeContext implements Context {
    private final long deadline = System.currentTimeMillis() + 60_000;

    @Override
    public String getAwsRequestId() {
      return "cold-start-probe";
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/probe";
    }

    @Override
    public String getLogStreamName() {
      return "probe";
    }

    @Override
    public String getFunctionName() {
      return "probe";
    }

    @Override
    public String getFunctionVersion() {
      return "1";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:123456789012:function:probe";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return (int) (deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {}

        @Override
        public void log(byte[] message) {}
      };
    }
  }
}
