package dev.priorityqueues.worker;

import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.FlowDefaults;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.TierTable;

/** The worker's configuration, read once from the function's environment, with its defaults. */
record WorkerConfig(
    String bucket,
    String videosTable,
    TierTable tiers,
    Flow flow,
    int stealBudget,
    int lendTokens,
    boolean drain,
    int maxDeferrals,
    int deferDelaySeconds,
    long backlogCacheMillis,
    long backlogHoldMillis,
    int retryBackoffSeconds,
    String processor,
    java.util.Optional<String> eventBus,
    dev.priorityqueues.contract.PrivacyEnv privacy) {

  static final Flow DEFAULT_FLOW = Flow.HIGHEST_FIRST;

  static WorkerConfig from(EnvReader env) {
    return new WorkerConfig(
        env.require(FunctionEnv.BUCKET),
        env.require(FunctionEnv.VIDEOS_TABLE),
        TierTable.fromEnv(env),
        env.optional(FunctionEnv.FLOW).map(Flow::parse).orElse(DEFAULT_FLOW),
        env.intValue(FunctionEnv.STEAL_BUDGET, FlowDefaults.STEAL_BUDGET, 0, FlowDefaults.STEAL_BUDGET_MAX),
        env.intValue(FunctionEnv.LEND_TOKENS, FlowDefaults.LEND_TOKENS, 0, FlowDefaults.LEND_TOKENS_MAX),
        env.booleanValue(FunctionEnv.DRAIN, FlowDefaults.DRAIN),
        env.intValue(FunctionEnv.MAX_DEFERRALS, FlowDefaults.MAX_DEFERRALS, 0, FlowDefaults.MAX_DEFERRALS_MAX),
        env.intValue(FunctionEnv.DEFER_DELAY_SECONDS, FlowDefaults.DEFER_DELAY_SECONDS, 0, FlowDefaults.DEFER_DELAY_SECONDS_MAX),
        env.longValue(FunctionEnv.BACKLOG_CACHE_MILLIS, FlowDefaults.BACKLOG_CACHE_MILLIS, 0, FlowDefaults.BACKLOG_CACHE_MILLIS_MAX),
        env.longValue(FunctionEnv.BACKLOG_HOLD_MILLIS, FlowDefaults.BACKLOG_HOLD_MILLIS, 0, FlowDefaults.BACKLOG_HOLD_MILLIS_MAX),
        env.intValue(FunctionEnv.RETRY_BACKOFF_SECONDS, FlowDefaults.RETRY_BACKOFF_SECONDS, 0, FlowDefaults.RETRY_BACKOFF_SECONDS_MAX),
        env.optional(FunctionEnv.PROCESSOR).orElse(null),
        env.optional(FunctionEnv.EVENT_BUS),
        dev.priorityqueues.contract.PrivacyEnv.fromEnv(env));
  }
}
