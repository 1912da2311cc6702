package dev.priorityqueues.local.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.priorityqueues.local.lambda.InvocationOutcome;
import dev.priorityqueues.local.lambda.LocalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.RuleCompiler;

/**
 * The default event bus, run locally on AWS's own matcher (event-ruler). Rules and targets are
 * the ones the program declares. A Lambda target is invoked asynchronously, as EventBridge does:
 * a failed invocation is retried by Lambda's async machinery (up to the function's maximum retry
 * attempts, with backoff), then goes to the function's on-failure destination. Nothing is
 * dropped silently: an event with nowhere left to go is counted as lost and reported.
 */
public final class LocalEventBus implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A rule the program declared. */
  public record Rule(String name, String arn, String pattern, boolean enabled) {}

  /**
   * A Lambda target. {@code asyncRetries} and {@code onFailure} are the function's asynchronous
   * invocation config; {@code onFailure} receives what Lambda would send to an on-failure
   * destination (or null: the event would be dropped, which is counted as lost).
   */
  public record Target(
      String rule,
      String id,
      LocalFunction function,
      int asyncRetries,
      BiConsumer<String, String> onFailure) {}

  private final Machine machine = new Machine();
  private final Map<String, Rule> rules = new ConcurrentHashMap<>();
  private final List<Target> targets = new CopyOnWriteArrayList<>();
  /** Rules a test or tool declares, each delivering to a plain callback instead of a function. */
  private final Map<String, java.util.function.Consumer<String>> listeners = new ConcurrentHashMap<>();
  private final ScheduledExecutorService deliveries;
  private final Duration retryBase;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong matched = new AtomicLong();
  private final AtomicLong invocations = new AtomicLong();
  private final AtomicLong failedInvocations = new AtomicLong();
  private final AtomicLong sentToFailureDestination = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private volatile DoubleSupplier duplicateChance = () -> 1.0;
  private volatile double duplicateRate;
  /** The latest events put on the bus, newest last, so tests can replay a real one. */
  private final java.util.Deque<String> recent = new java.util.concurrent.ConcurrentLinkedDeque<>();

  /**
   * @param retryBase delay before Lambda's first async retry; AWS waits about a minute, then two,
   *     the local cloud scales this down so a run does not stall
   * @param workers threads delivering events
   */
  public LocalEventBus(Duration retryBase, int workers) {
    this.retryBase = Objects.requireNonNull(retryBase, "retryBase");
    this.deliveries = Executors.newScheduledThreadPool(workers, Thread.ofPlatform().daemon().name("eventbus-", 1).factory());
  }

  /** Fault injection: deliver this share of matched events twice (EventBridge is at-least-once). */
  public void duplicate(double rate, DoubleSupplier random) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("duplicate rate must be within 0..1, not " + rate);
    }
    this.duplicateRate = rate;
    this.duplicateChance = Objects.requireNonNull(random, "random");
  }

  public void addRule(Rule rule) {
    String error = RuleCompiler.check(rule.pattern());
    if (error != null) {
      throw new IllegalArgumentException("rule " + rule.name() + " has an invalid event pattern: " + error);
    }
    try {
      machine.addRule(rule.name(), rule.pattern());
    } catch (Exception e) {
      throw new IllegalArgumentException("rule " + rule.name() + ": " + e.getMessage(), e);
    }
    rules.put(rule.name(), rule);
  }

  public void addTarget(Target target) {
    if (!rules.containsKey(target.rule())) {
      throw new IllegalArgumentException("target " + target.id() + " names an unknown rule " + target.rule());
    }
    targets.add(target);
  }

  /**
   * Declares a rule whose matching events go to {@code listener} (on a delivery thread), the way
   * a consumer of the stack's events would attach its own rule and target.
   */
  public void addListener(String ruleName, String pattern, java.util.function.Consumer<String> listener) {
    addRule(new Rule(ruleName, "arn:aws:events:local:rule/" + ruleName, pattern, true));
    listeners.put(ruleName, listener);
  }

  /** The latest events put on the bus (up to 1000), oldest first. */
  public List<String> recentEvents() {
    return List.copyOf(recent);
  }

  public Map<String, Rule> rules() {
    return Map.copyOf(rules);
  }

  public List<Target> targets() {
    return List.copyOf(targets);
  }

  /** PutEvents: matches the event against every enabled rule and delivers to their targets. */
  public void put(String eventJson) {
    received.incrementAndGet();
    recent.addLast(eventJson);
    while (recent.size() > 1000) {
      recent.pollFirst();
    }
    List<String> matchedRules;
    try {
      matchedRules = machine.rulesForJSONEvent(eventJson);
    } catch (Exception e) {
      throw new IllegalArgumentException("event is not valid JSON: " + e.getMessage(), e);
    }
    for (String ruleName : matchedRules) {
      Rule rule = rules.get(ruleName);
      if (rule == null || !rule.enabled()) {
        continue;
      }
      matched.incrementAndGet();
      java.util.function.Consumer<String> listener = listeners.get(ruleName);
      if (listener != null) {
        pending.incrementAndGet();
        deliveries.execute(() -> {
          try {
            listener.accept(eventJson);
          } finally {
            pending.decrementAndGet();
          }
        });
      }
      for (Target target : targets) {
        if (target.rule().equals(ruleName)) {
          schedule(target, eventJson, 0, Duration.ZERO);
          if (duplicateRate > 0 && duplicateChance.getAsDouble() < duplicateRate) {
            duplicated.incrementAndGet();
            schedule(target, eventJson, 0, Duration.ofMillis(5));
          }
        }
      }
    }
  }

  private void schedule(Target target, String event, int attempt, Duration delay) {
    pending.incrementAndGet();
    deliveries.schedule(() -> deliver(target, event, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void deliver(Target target, String event, int attempt) {
    try {
      invocations.incrementAndGet();
      InvocationOutcome result = target.function().invoke(event);
      if (result.ok()) {
        return;
      }
      failedInvocations.incrementAndGet();
      if (attempt < target.asyncRetries()) {
        // Lambda waits about one minute, then two; locally the base is scaled down.
        schedule(target, event, attempt + 1, retryBase.multipliedBy(1L << attempt));
      } else if (target.onFailure() != null) {
        sentToFailureDestination.incrementAndGet();
        target.onFailure().accept(failureRecord(target, event, result, attempt + 1), event);
      } else {
        lost.incrementAndGet();
        System.err.println(
            "LOST EVENT: " + target.function().name() + " failed " + (attempt + 1)
                + " times and has no on-failure destination: " + result.errorMessage());
      }
    } catch (RuntimeException e) {
      lost.incrementAndGet();
      System.err.println("LOST EVENT: delivery to " + target.id() + " failed: " + e);
    } finally {
      pending.decrementAndGet();
    }
  }

  /** The record Lambda sends to an asynchronous invocation's on-failure destination. */
  private static String failureRecord(Target target, String event, InvocationOutcome result, int invokeCount) {
    try {
      ObjectNode record = JSON.createObjectNode();
      record.put("version", "1.0");
      record.put("timestamp", Instant.now().toString());
      ObjectNode request = record.putObject("requestContext");
      request.put("requestId", result.requestId());
      request.put("functionArn", target.function().spec().arn() + ":$LATEST");
      request.put("condition", "RetriesExhausted");
      request.put("approximateInvokeCount", invokeCount);
      record.set("requestPayload", JSON.readTree(event));
      ObjectNode response = record.putObject("responseContext");
      response.put("statusCode", 200);
      response.put("executedVersion", "$LATEST");
      response.put("functionError", "Unhandled");
      ObjectNode payload = record.putObject("responsePayload");
      payload.put("errorMessage", result.errorMessage());
      payload.put("errorType", result.errorType());
      return record.toString();
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the failure record: " + e.getMessage(), e);
    }
  }

  /** Waits until no delivery is pending or scheduled. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  public record Stats(
      long received,
      long matched,
      long invocations,
      long failedInvocations,
      long sentToFailureDestination,
      long lost,
      long duplicated,
      int pending) {}

  public Stats stats() {
    return new Stats(
        received.get(),
        matched.get(),
        invocations.get(),
        failedInvocations.get(),
        sentToFailureDestination.get(),
        lost.get(),
        duplicated.get(),
        pending.get());
  }

  @Override
  public void close() {
    deliveries.shutdownNow();
  }
}
