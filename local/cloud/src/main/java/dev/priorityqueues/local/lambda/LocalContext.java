package dev.priorityqueues.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;

/** The Lambda {@link Context} of one local invocation: request id, deadline, names, logger. */
final class LocalContext implements Context {

  private static final LambdaLogger LOGGER =
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
  private final LocalFunction.Spec spec;
  private final long deadlineNanos;

  LocalContext(String requestId, LocalFunction.Spec spec, long deadlineNanos) {
    this.requestId = requestId;
    this.spec = spec;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + spec.name();
  }

  @Override
  public String getLogStreamName() {
    return "local/" + spec.name();
  }

  @Override
  public String getFunctionName() {
    return spec.name();
  }

  @Override
  public String getFunctionVersion() {
    return "1";
  }

  @Override
  public String getInvokedFunctionArn() {
    return spec.arn();
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
    return spec.memoryMb();
  }

  @Override
  public LambdaLogger getLogger() {
    return LOGGER;
  }
}
