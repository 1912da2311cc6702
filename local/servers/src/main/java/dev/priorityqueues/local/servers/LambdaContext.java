package dev.priorityqueues.local.servers;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * The Lambda {@link Context} of an invocation outside Lambda: a request id, a deadline, the
 * function's names and memory, and a logger to standard out. The handler tests and the local
 * cloud's runtime both use it, so a handler sees the same context in either.
 */
public final class LambdaContext implements Context {

  private static final LambdaLogger STDOUT =
      new LambdaLogger() {
        @Override
        public void log(String message) {
          System.out.println(message);
        }

        @Override
        public void log(byte[] message) {
          log(new String(message, StandardCharsets.UTF_8));
        }

        @Override
        public void log(String message, LogLevel level) {
          log(message);
        }
      };

  private final String requestId;
  private final String functionName;
  private final String functionArn;
  private final String version;
  private final int memoryMb;
  private final long deadlineNanos;

  /**
   * One invocation of a declared function.
   *
   * @param deadlineNanos the {@link System#nanoTime()} at which the invocation times out
   */
  public LambdaContext(
      String requestId, String functionName, String functionArn, String version, int memoryMb, long deadlineNanos) {
    this.requestId = requestId;
    this.functionName = functionName;
    this.functionArn = functionArn;
    this.version = version;
    this.memoryMb = memoryMb;
    this.deadlineNanos = deadlineNanos;
  }

  /** A test invocation with a generous minute to run. */
  public static LambdaContext of(String functionName) {
    return withRemaining(functionName, Duration.ofMinutes(1));
  }

  /** A test invocation that times out after {@code remaining}. */
  public static LambdaContext withRemaining(String functionName, Duration remaining) {
    return new LambdaContext(UUID.randomUUID().toString(), functionName,
        "arn:aws:lambda:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT_ID + ":function:" + functionName, "$LATEST", 1024,
        System.nanoTime() + remaining.toNanos());
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local/" + functionName;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return version;
  }

  @Override
  public String getInvokedFunctionArn() {
    return functionArn;
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
    return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }

  @Override
  public int getMemoryLimitInMB() {
    return memoryMb;
  }

  @Override
  public LambdaLogger getLogger() {
    return STDOUT;
  }
}
