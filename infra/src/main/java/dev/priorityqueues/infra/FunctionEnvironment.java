package dev.priorityqueues.infra;

import com.pulumi.core.Output;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.components.Storage;
import dev.priorityqueues.infra.components.TierQueue;
import dev.priorityqueues.infra.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of each function, named by the contract's {@link FunctionEnv} and written
 * with the contract's own {@link TierTable#toJson}, so the handlers read exactly what the
 * program wrote.
 */
final class FunctionEnvironment {
  private FunctionEnvironment() {}

  /** What every function gets: the tier table, the default tier, the tables and the bucket. */
  static Output<Map<String, String>> common(Settings settings, List<TierQueue> queues, Storage storage) {
    List<Output<TierTable.Tier>> entries = new ArrayList<>();
    for (int priority = 0; priority < queues.size(); priority++) {
      entries.add(queues.get(priority).tableEntry(priority));
    }
    return Output.tuple(Output.all(entries), storage.videos().name(), storage.users().name(), storage.bucket().bucket())
        .applyValue(t -> {
          Map<String, String> env = new LinkedHashMap<>();
          env.put(FunctionEnv.TIERS, TierTable.toJson(t.t1));
          env.put(FunctionEnv.DEFAULT_TIER, settings.defaultTier());
          env.put(FunctionEnv.VIDEOS_TABLE, t.t2);
          env.put(FunctionEnv.USERS_TABLE, t.t3);
          env.put(FunctionEnv.BUCKET, t.t4);
          env.put(FunctionEnv.PRIVACY, privacy(settings).text());
          return Map.copyOf(env);
        });
  }

  static Output<Map<String, String>> presign(Settings settings, Output<Map<String, String>> common,
      Output<String> quotasTable) {
    Settings.Uploads uploads = settings.uploads();
    return Output.tuple(common, quotasTable).applyValue(t -> {
      Map<String, String> env = new LinkedHashMap<>(t.t1);
      env.put(FunctionEnv.UPLOAD_MAX_BYTES, Long.toString(uploads.maxBytes()));
      env.put(FunctionEnv.UPLOAD_CONTENT_TYPES, String.join(",", uploads.contentTypes()));
      env.put(FunctionEnv.UPLOAD_URL_EXPIRY_SECONDS, Integer.toString(uploads.urlExpirySeconds()));
      env.put(FunctionEnv.PENDING_UPLOAD_TTL_SECONDS, Integer.toString(uploads.pendingTtlSeconds()));
      env.put(FunctionEnv.JWT_SCOPES, String.join(",", settings.auth().jwtScopes()));
      env.put(FunctionEnv.QUOTAS_TABLE, t.t2);
      env.put(FunctionEnv.QUOTA_UPLOADS_IN_FLIGHT, Integer.toString(uploads.quotaUploadsInFlight()));
      env.put(FunctionEnv.QUOTA_BYTES_PER_DAY, Long.toString(uploads.quotaBytesPerDay()));
      return Map.copyOf(env);
    });
  }

  /** The status function reads the table and bucket names from the common part, and its routes' scopes. */
  static Output<Map<String, String>> status(Settings settings, Output<Map<String, String>> common) {
    return with(common, Map.of(FunctionEnv.JWT_SCOPES, String.join(",", settings.auth().statusJwtScopes())));
  }

  static Output<Map<String, String>> router(Settings settings, Output<Map<String, String>> common) {
    // The router rejects uploads above the limit the presign function signed for.
    return with(common, Map.of(
        FunctionEnv.UPLOAD_MAX_BYTES, Long.toString(settings.uploads().maxBytes()),
        FunctionEnv.FAIR_QUEUES, Boolean.toString(settings.tuning().fairQueues())));
  }

  static Output<Map<String, String>> worker(Settings settings, Output<Map<String, String>> common,
      Output<String> eventBusArn) {
    Settings.FlowTuning tuning = settings.tuning();
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(FunctionEnv.FLOW, settings.flow().id());
    extra.put(FunctionEnv.STEAL_BUDGET, Integer.toString(tuning.stealBudget()));
    extra.put(FunctionEnv.LEND_TOKENS, Integer.toString(tuning.lendTokens()));
    extra.put(FunctionEnv.DRAIN, Boolean.toString(tuning.drain()));
    extra.put(FunctionEnv.MAX_DEFERRALS, Integer.toString(tuning.maxDeferrals()));
    extra.put(FunctionEnv.DEFER_DELAY_SECONDS, Integer.toString(tuning.deferDelaySeconds()));
    extra.put(FunctionEnv.BACKLOG_CACHE_MILLIS, Integer.toString(tuning.backlogCacheMillis()));
    extra.put(FunctionEnv.BACKLOG_HOLD_MILLIS, Integer.toString(tuning.backlogHoldMillis()));
    extra.put(FunctionEnv.RETRY_BACKOFF_SECONDS, Integer.toString(tuning.retryBackoffSeconds()));
    extra.put(FunctionEnv.PROCESSOR, settings.worker().processor());
    if (settings.worker().transcodes()) {
      Settings.Transcode transcode = settings.worker().transcode();
      extra.put(FunctionEnv.RENDITIONS, Transcoding.renditionsText(transcode.renditions()));
      extra.put(FunctionEnv.WATERMARK_CORNER, transcode.watermarkCorner().id());
      extra.put(FunctionEnv.THUMBNAIL_OFFSET_MILLIS, Long.toString(transcode.thumbnailOffsetMillis()));
      extra.put(FunctionEnv.TRANSCODE_SPEED, Double.toString(transcode.speed()));
      extra.put(FunctionEnv.WORKER_TIMEOUT_SECONDS, Integer.toString(settings.worker().timeoutSeconds()));
    }
    return with(common, extra).apply(env -> eventBusArn.applyValue(bus -> {
      Map<String, String> all = new LinkedHashMap<>(env);
      all.put(FunctionEnv.EVENT_BUS, bus);
      return Map.copyOf(all);
    }));
  }

  /** One variable, as the contract reads it (the worker's 4 KB are nearly full). */
  static dev.priorityqueues.contract.PrivacyEnv privacy(Settings settings) {
    Settings.Privacy p = settings.privacy();
    return new dev.priorityqueues.contract.PrivacyEnv(p.recordRetentionDays(), p.rejectedInputs(), p.logUserIds());
  }

  private static Output<Map<String, String>> with(Output<Map<String, String>> common, Map<String, String> extra) {
    return common.applyValue(base -> {
      Map<String, String> env = new LinkedHashMap<>(base);
      env.putAll(extra);
      return Map.copyOf(env);
    });
  }
}
