package dev.priorityqueues.local.cli;

import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.VideoStatus;
import dev.priorityqueues.local.cloud.Videos;
import dev.priorityqueues.local.sdk.ApiCalls;
import dev.priorityqueues.local.sdk.Caller;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cloud API calls the design needs for one upload, by how it ended: the yardstick `./pq
 * demo` holds its measured calls against (docs/design.md, "Calls per upload"). Anything measured
 * above it is a cost of the implementation or of the load: a mapping's empty long polls, the
 * worker's steals and drain sweeps that find nothing, retries, SnapStart priming calls, a
 * refused (429) presign request retried.
 */
final class MinimalCalls {

  /** One call the design needs, for one function, and why. */
  record Call(Functions function, String service, String operation, String why) {}

  private static final Functions PRESIGN = Functions.PRESIGN;
  private static final Functions ROUTER = Functions.ROUTER;
  private static final Functions WORKER = Functions.WORKER;

  /** An upload asked for: presign writes its record and takes the user's quotas. */
  static final List<Call> PRESIGNED = List.of(
      new Call(PRESIGN, "DynamoDb", "PutItem", "the PENDING_UPLOAD record"),
      new Call(PRESIGN, "DynamoDb", "UpdateItem", "an in-flight slot of the user's quota"),
      new Call(PRESIGN, "DynamoDb", "UpdateItem", "the bytes of the user's day"));

  /** An upload admitted: the router queues its job. */
  static final List<Call> QUEUED = List.of(
      new Call(ROUTER, "DynamoDb", "GetItem", "the video's record"),
      new Call(ROUTER, "DynamoDb", "GetItem", "the user's subscription, which decides the tier"),
      new Call(ROUTER, "DynamoDb", "UpdateItem", "QUEUED, with the claim to send"),
      new Call(ROUTER, "Sqs", "SendMessage", "the job, to its tier's queue"),
      new Call(ROUTER, "DynamoDb", "UpdateItem", "the job noted as sent"));

  /** An upload the router refuses (REJECTED: larger than declared; ORPHANED: no record): it ends there. */
  static final List<Call> REFUSED = List.of(
      new Call(ROUTER, "DynamoDb", "GetItem", "the video's record"),
      new Call(ROUTER, "DynamoDb", "UpdateItem", "REJECTED or ORPHANED, with the reason"),
      new Call(ROUTER, "S3", "DeleteObject", "the refused upload's version"),
      new Call(ROUTER, "DynamoDb", "UpdateItem", "what became of the upload"));

  /** The worker's part of any job: delivered once, claimed, its input read, acknowledged, announced. */
  static final List<Call> JOB = List.of(
      new Call(WORKER, "Sqs", "ReceiveMessage", "the delivery (a batch of one)"),
      new Call(WORKER, "DynamoDb", "UpdateItem", "the claim"),
      new Call(WORKER, "S3", "GetObject", "the input, streamed"),
      new Call(WORKER, "DynamoDb", "UpdateItem", "DONE with the outputs, or FAILED with the reason"),
      new Call(WORKER, "EventBridge", "PutEvents", "the completion event"),
      new Call(WORKER, "DynamoDb", "UpdateItem", "the event noted as published (once in effect)"),
      new Call(WORKER, "Sqs", "DeleteMessage", "the acknowledgement"));

  static final Call OUTPUT = new Call(WORKER, "S3", "PutObject", "each output (renditions, thumbnail)");

  /** A FAILED video's upload is deleted (or quarantined) and that noted. */
  static final List<Call> FAILED_INPUT = List.of(
      new Call(WORKER, "S3", "DeleteObject", "the failed upload's version"),
      new Call(WORKER, "DynamoDb", "UpdateItem", "what became of the upload"));

  private MinimalCalls() {}

  /** The calls the design needs for {@code record}, by function. */
  static Map<Functions, Integer> of(Videos.Record record) {
    Map<Functions, Integer> byFunction = new java.util.EnumMap<>(Functions.class);
    if (record.status() != VideoStatus.ORPHANED) {
      PRESIGNED.forEach(c -> byFunction.merge(c.function(), 1, Integer::sum));
    }
    boolean refused = record.status() == VideoStatus.REJECTED || record.status() == VideoStatus.ORPHANED;
    if (record.status() != VideoStatus.PENDING_UPLOAD) {
      (refused ? REFUSED : QUEUED).forEach(c -> byFunction.merge(c.function(), 1, Integer::sum));
    }
    if (record.status() == VideoStatus.DONE || record.status() == VideoStatus.FAILED) {
      JOB.forEach(c -> byFunction.merge(c.function(), 1, Integer::sum));
    }
    if (record.status() == VideoStatus.DONE) {
      byFunction.merge(WORKER, record.outputs() == null ? 0 : record.outputs(), Integer::sum);
    }
    if (record.status() == VideoStatus.FAILED) {
      FAILED_INPUT.forEach(c -> byFunction.merge(c.function(), 1, Integer::sum));
    }
    return byFunction;
  }

  /**
   * Prints the measured calls of each function (its mapping's polls included) against the
   * minimal set for these uploads, per upload, and the ratio. {@code deployed} names each
   * deployed function by what it is (the program may prefix the names).
   */
  static void compare(PrintStream console, ApiCalls calls, List<Videos.Record> records, Map<String, Functions> deployed) {
    Map<Functions, Long> minimal = new java.util.EnumMap<>(Functions.class);
    records.forEach(r -> of(r).forEach((function, n) -> minimal.merge(function, (long) n, Long::sum)));
    Map<Functions, Long> measured = new java.util.EnumMap<>(Functions.class);
    calls.snapshot().forEach((key, count) -> {
      Functions function = key.kind() == Caller.Kind.DRIVER ? null : deployed.get(key.function());
      if (function != null && minimal.containsKey(function)) {
        measured.merge(function, count, Long::sum);
      }
    });
    Map<Functions, String> names = new java.util.EnumMap<>(Functions.class);
    deployed.forEach((name, function) -> names.putIfAbsent(function, name));
    double uploads = Math.max(1, records.size());
    long minimalTotal = minimal.values().stream().mapToLong(Long::longValue).sum();
    long measuredTotal = measured.values().stream().mapToLong(Long::longValue).sum();
    console.printf(Locale.ROOT, "  Against the minimal set the design needs (docs/design.md, \"Calls per upload\"):%n");
    minimal.forEach((function, need) -> console.printf(Locale.ROOT, "    %-20s %6.2f measured / %6.2f minimal = %.2f×%n",
        names.getOrDefault(function, function.id()), measured.getOrDefault(function, 0L) / uploads, need / uploads,
        measured.getOrDefault(function, 0L) / (double) Math.max(1, need)));
    console.printf(Locale.ROOT, "    %-20s %6.2f measured / %6.2f minimal = %.2f× the minimal set%n", "all three",
        measuredTotal / uploads, minimalTotal / uploads, measuredTotal / (double) Math.max(1, minimalTotal));
  }

  /** Which function each deployed one is, by its handler: the names depend on the stack. */
  static Map<String, Functions> deployed(List<dev.priorityqueues.local.lambda.LocalFunction> functions) {
    Map<String, Functions> deployed = new LinkedHashMap<>();
    for (var function : functions) {
      for (Functions known : Functions.values()) {
        if (function.spec().handler().startsWith(known.handlerClass())) {
          deployed.put(function.name(), known);
        }
      }
    }
    return deployed;
  }
}
