package dev.priorityqueues.router;

import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.TierTable;

/** The router's configuration, read once from the function's environment. */
record RouterConfig(String bucket, String videosTable, String usersTable, TierTable tiers, long maxBytes) {

  /** S3's limit for a single PUT, the most presign ever allows. */
  static final long S3_SINGLE_PUT_MAX = 5L * 1024 * 1024 * 1024;

  static RouterConfig from(EnvReader env) {
    return new RouterConfig(
        env.require(FunctionEnv.BUCKET),
        env.require(FunctionEnv.VIDEOS_TABLE),
        env.require(FunctionEnv.USERS_TABLE),
        TierTable.fromEnv(env),
        env.longValue(FunctionEnv.UPLOAD_MAX_BYTES, S3_SINGLE_PUT_MAX, 1, S3_SINGLE_PUT_MAX));
  }
}
