package dev.priorityqueues.local.faults;

import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.local.lambda.InvocationFaults;
import dev.priorityqueues.local.sdk.CallHook;
import dev.priorityqueues.local.sdk.Caller;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The faults of a fault-injection run, drawn from one seeded generator. It is both the local
 * runtime's {@link InvocationFaults} and an SDK {@link CallHook}, so no handler knows about it:
 *
 * <ul>
 *   <li>transient failures of presign, router and worker invocations (the handler never runs);
 *   <li>worker crashes after their side effects, before the batch response (messages come back),
 *       and worker failures after writing a job's result object, before recording it DONE;
 *   <li>poison jobs: the router's message for a poisoned upload is corrupted in transit, every
 *       time it is sent, so it can never be processed;
 *   <li>a failed send between the router's DynamoDB update and its SQS send, and the reverse: a
 *       send that reached SQS whose response is lost, so the router fails after sending.
 * </ul>
 *
 * Duplicate EventBridge deliveries are injected by the event bus with the same generator.
 */
public final class FaultPlan implements InvocationFaults, CallHook {

  /** How often each fault happens, from 0 to 1. */
  public record Rates(
      double transientInvocation, double workerCrash, double poison, double duplicateEvent,
      double failBeforeSend, double loseSendResponse) {

    /** The rates: 10% transient, 2% poison, 5% duplicates; crashes and router faults 3% each. */
    public static Rates standard() {
      return new Rates(0.10, 0.03, 0.02, 0.05, 0.03, 0.03);
    }
  }

  private static final Pattern VIDEO_KEY = Pattern.compile("\"videoKey\":\"([^\"]+)\"");

  private final Random random;
  private final Rates rates;
  private final Set<String> poisoned = ConcurrentHashMap.newKeySet();
  private final Set<String> decided = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
  /** Result objects written, by upload key: a second write is a second effect. */
  private final Map<String, AtomicLong> resultWrites = new ConcurrentHashMap<>();
  private final ThreadLocal<Boolean> loseResponse = ThreadLocal.withInitial(() -> false);
  private final ThreadLocal<Boolean> resultJustWritten = ThreadLocal.withInitial(() -> false);

  public FaultPlan(long seed, Rates rates) {
    this.random = new Random(seed);
    this.rates = rates;
  }

  public Rates rates() {
    return rates;
  }

  /** A draw from the plan's generator, for faults injected elsewhere (the bus's duplicates). */
  public synchronized double draw() {
    return random.nextDouble();
  }

  private boolean happens(double rate) {
    return rate > 0 && draw() < rate;
  }

  private void count(String fault) {
    injected.computeIfAbsent(fault, k -> new AtomicLong()).incrementAndGet();
  }

  @Override
  public Fault decide(String function) {
    if (happens(rates.transientInvocation())) {
      count("transient failure: " + function.replaceAll("-.*", ""));
      return Fault.FAIL_BEFORE;
    }
    if (function.startsWith("worker") && happens(rates.workerCrash())) {
      count("worker crash after its side effects");
      return Fault.CRASH_AFTER;
    }
    return Fault.NONE;
  }

  @Override
  public SdkRequest modifyRequest(Caller caller, String service, String operation, SdkRequest request) {
    if (caller.kind() != Caller.Kind.FUNCTION || !caller.function().startsWith("router")
        || !(request instanceof SendMessageRequest send)) {
      return request;
    }
    Matcher key = VIDEO_KEY.matcher(send.messageBody());
    if (!key.find()) {
      return request;
    }
    String videoKey = key.group(1);
    if (decided.add(videoKey) && happens(rates.poison())) {
      poisoned.add(videoKey);
      count("poison job");
    }
    if (poisoned.contains(videoKey)) {
      // Corrupted in transit: still names its upload, but is no longer a job.
      return send.toBuilder().messageBody("{\"poison\":true,\"videoKey\":\"" + videoKey + "\"").build();
    }
    return request;
  }

  @Override
  public void beforeSend(Caller caller, String service, String operation, SdkRequest request) {
    if (caller.kind() == Caller.Kind.FUNCTION && caller.function().startsWith("worker")
        && request instanceof PutObjectRequest put && put.key().startsWith(Keys.PROCESSED_PREFIX)) {
      String upload = put.key().substring(Keys.PROCESSED_PREFIX.length()).replaceFirst("\\.json$", "");
      resultWrites.computeIfAbsent(upload, k -> new AtomicLong()).incrementAndGet();
      resultJustWritten.set(true);
    } else if (caller.kind() == Caller.Kind.FUNCTION && caller.function().startsWith("worker")
        && request instanceof UpdateItemRequest && resultJustWritten.get()) {
      // The update right after a result write is the one that records DONE.
      resultJustWritten.set(false);
      if (happens(rates.workerCrash())) {
        count("worker failure after writing its result, before recording DONE");
        throw SdkClientException.create("injected fault: the worker failed after its result, before recording DONE");
      }
    }
    if (caller.kind() != Caller.Kind.FUNCTION || !caller.function().startsWith("router")
        || !(request instanceof SendMessageRequest)) {
      return;
    }
    if (happens(rates.failBeforeSend())) {
      count("router failure between its DynamoDB update and the send");
      throw SdkClientException.create("injected fault: the connection failed before the job was sent");
    }
    loseResponse.set(happens(rates.loseSendResponse()));
  }

  @Override
  public void afterResponse(Caller caller, String service, String operation, SdkRequest request) {
    if (caller.kind() == Caller.Kind.FUNCTION && request instanceof SendMessageRequest && loseResponse.get()) {
      loseResponse.set(false);
      count("router failure after the send, before its DynamoDB update");
      throw SdkClientException.create("injected fault: the job was sent but the response was lost");
    }
  }

  public Set<String> poisoned() {
    return Set.copyOf(poisoned);
  }

  public Map<String, Long> resultWrites() {
    Map<String, Long> copy = new TreeMap<>();
    resultWrites.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Every fault injected so far, by kind. */
  public Map<String, Long> injected() {
    Map<String, Long> copy = new TreeMap<>();
    injected.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }
}
