package dev.priorityqueues.router;

import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.UploadLimits;
import dev.priorityqueues.contract.TierTable;

/** The router's configuration, read once from the function's environment. */
record RouterConfig(String bucket, String videosTable, String usersTable, TierTable tiers, long maxBytes, boolean fairQueues,
    dev.priorityqueues.contract.PrivacyEnv privacy) {

  static RouterConfig from(EnvReader env) {
    return new RouterConfig(
        env.require(FunctionEnv.BUCKET),
        env.require(FunctionEnv.VIDEOS_TABLE),
        env.require(FunctionEnv.USERS_TABLE),
        TierTable.fromEnv(env),
        env.requireLong(FunctionEnv.UPLOAD_MAX_BYTES, 1, UploadLimits.MAX_UPLOAD_BYTES),
        env.booleanValue(FunctionEnv.FAIR_QUEUES, true),
        dev.priorityqueues.contract.PrivacyEnv.fromEnv(env));
  }
}
