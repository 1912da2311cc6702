package dev.priorityqueues.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handlers for testing the local runtime itself. Each reads its behaviour from its environment
 * and records what it saw in {@link #SEEN}, keyed by the function name.
 */
public final class TestHandlers {
  private TestHandlers() {}

  public static final Map<String, List<Object>> SEEN = new ConcurrentHashMap<>();
  public static final Map<String, AtomicInteger> CONSTRUCTED = new ConcurrentHashMap<>();
  public static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
  public static final Map<String, AtomicInteger> MAX_RUNNING = new ConcurrentHashMap<>();

  public static void reset(String function) {
    SEEN.remove(function);
    CONSTRUCTED.remove(function);
    RUNNING.remove(function);
    MAX_RUNNING.remove(function);
  }

  static List<Object> seen(String function) {
    return SEEN.computeIfAbsent(function, k -> new CopyOnWriteArrayList<>());
  }

  private abstract static class Base {
    final Map<String, String> env;
    final String name;

    Base(Map<String, String> env) {
      this.env = env;
      this.name = env.get("AWS_LAMBDA_FUNCTION_NAME");
      CONSTRUCTED.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      if ("true".equals(env.get("FAIL_INIT"))) {
        throw new IllegalStateException("init refused by FAIL_INIT");
      }
    }

    void work() {
      AtomicInteger running = RUNNING.computeIfAbsent(name, k -> new AtomicInteger());
      int now = running.incrementAndGet();
      MAX_RUNNING.computeIfAbsent(name, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(Long.parseLong(env.getOrDefault("SLEEP_MILLIS", "0")));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.decrementAndGet();
      }
    }
  }

  /** Echoes a JSON object back with the function name and one environment variable. */
  public static final class Echo extends Base implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public Echo(Map<String, String> env) {
      super(env);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
      work();
      seen(name).add(input);
      if (input.containsKey("fail")) {
        throw new IllegalArgumentException("asked to fail: " + input.get("fail"));
      }
      return Map.of("function", context.getFunctionName(), "greeting", env.getOrDefault("GREETING", "none"));
    }
  }

  /** Fails every SQS record whose body contains "fail"; "whole" fails the invocation. */
  public static final class Batch extends Base implements RequestHandler<SQSEvent, SQSBatchResponse> {
    public Batch(Map<String, String> env) {
      super(env);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
      work();
      List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
      for (SQSEvent.SQSMessage message : event.getRecords()) {
        seen(name).add(message);
        if (message.getBody().contains("whole")) {
          throw new IllegalStateException("whole batch fails");
        }
        if (message.getBody().contains("unknown-id")) {
          failures.add(new SQSBatchResponse.BatchItemFailure("not-a-message-id"));
        } else if (message.getBody().contains("fail")) {
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        }
      }
      return new SQSBatchResponse(failures);
    }
  }

  /** Answers an HTTP API event with the subject it was given. */
  public static final class Http extends Base
      implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public Http(Map<String, String> env) {
      super(env);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
      seen(name).add(event);
      String sub = event.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub");
      return APIGatewayV2HTTPResponse.builder()
          .withStatusCode(201)
          .withHeaders(Map.of("Content-Type", "application/json"))
          .withBody("{\"sub\":\"" + sub + "\",\"body\":" + event.getBody() + "}")
          .build();
    }
  }
}
