package dev.priorityqueues.common.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Duration;
import java.util.UUID;

/** A Lambda {@link Context} for tests: a request id and a deadline the test controls. */
public final class TestContext implements Context {

  private final String requestId = UUID.randomUUID().toString();
  private final String functionName;
  private volatile long deadlineNanos;

  private TestContext(String functionName, Duration remaining) {
    this.functionName = functionName;
    this.deadlineNanos = System.nanoTime() + remaining.toNanos();
  }

  /** A context with a generous minute to run. */
  public static TestContext of(String functionName) {
    return new TestContext(functionName, Duration.ofMinutes(1));
  }

  public static TestContext withRemaining(String functionName, Duration remaining) {
    return new TestContext(functionName, remaining);
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
    return "test";
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
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
    return 1024;
  }

  @Override
  public LambdaLogger getLogger() {
    return null;
  }
}
