package dev.priorityqueues.worker;

import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.TierTable;

/** The worker's configuration, read once from the function's environment, with its defaults. */
record WorkerConfig(
    String bucket,
    String videosTable,
    TierTable tiers,
    Flow flow,
    int stealBudget,
    boolean drain,
    int maxDeferrals,
    int deferDelaySeconds,
    long backlogCacheMillis,
    long backlogHoldMillis,
    int retryBackoffSeconds,
    String processor) {

  static final Flow DEFAULT_FLOW = Flow.HIGHEST_FIRST;
  static final int DEFAULT_STEAL_BUDGET = 3;
  static final int DEFAULT_MAX_DEFERRALS = 3;
  static final int DEFAULT_DEFER_DELAY_SECONDS = 5;
  static final long DEFAULT_BACKLOG_CACHE_MILLIS = 1_000;
  static final long DEFAULT_BACKLOG_HOLD_MILLIS = 2_000;
  static final int DEFAULT_RETRY_BACKOFF_SECONDS = 2;

  static WorkerConfig from(EnvReader env) {
    return new WorkerConfig(
        env.require(FunctionEnv.BUCKET),
        env.require(FunctionEnv.VIDEOS_TABLE),
        TierTable.fromEnv(env),
        env.optional(FunctionEnv.FLOW).map(Flow::parse).orElse(DEFAULT_FLOW),
        env.intValue(FunctionEnv.STEAL_BUDGET, DEFAULT_STEAL_BUDGET, 0, 100),
        env.booleanValue(FunctionEnv.DRAIN, true),
        env.intValue(FunctionEnv.MAX_DEFERRALS, DEFAULT_MAX_DEFERRALS, 0, 100),
        env.intValue(FunctionEnv.DEFER_DELAY_SECONDS, DEFAULT_DEFER_DELAY_SECONDS, 0, 900),
        env.longValue(FunctionEnv.BACKLOG_CACHE_MILLIS, DEFAULT_BACKLOG_CACHE_MILLIS, 0, 600_000),
        env.longValue(FunctionEnv.BACKLOG_HOLD_MILLIS, DEFAULT_BACKLOG_HOLD_MILLIS, 0, 600_000),
        env.intValue(FunctionEnv.RETRY_BACKOFF_SECONDS, DEFAULT_RETRY_BACKOFF_SECONDS, 0, 900),
        env.optional(FunctionEnv.PROCESSOR).orElse(null));
  }
}
