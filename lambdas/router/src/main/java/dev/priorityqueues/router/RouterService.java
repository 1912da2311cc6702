package dev.priorityqueues.router;

import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Metrics;
import dev.priorityqueues.common.Video;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.router.Routed.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One upload → at most one job on its tier queue, however often EventBridge delivers the event
 * (docs/design.md, "Router: exactly-once in effect"). Each step is a conditional write, so a
 * retried or duplicate delivery resumes where the last one stopped. Any error propagates: the
 * invocation fails, Lambda retries it and then hands it to the events DLQ, so no upload is lost.
 */
public final class RouterService {

  /** Races (two deliveries of one event at once) settle within a couple of rounds. */
  private static final int MAX_ROUNDS = 3;

  private final RouterConfig config;
  private final VideoStore videos;
  private final Subscriptions subscriptions;
  private final SqsClient sqs;
  private final Clock clock;

  RouterService(RouterConfig config, VideoStore videos, Subscriptions subscriptions, SqsClient sqs, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.videos = Objects.requireNonNull(videos, "videos");
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Routed route(ObjectCreated event, Log requestLog, Metrics.Recorder metrics) {
    if (!config.bucket().equals(event.bucket())) {
      throw new ContractException(
          "event " + event.eventId() + " is for bucket '" + event.bucket() + "'; this router serves '" + config.bucket() + "'");
    }
    if (!event.key().startsWith(Keys.UPLOADS_PREFIX)) {
      throw new ContractException(
          "object key '" + event.key() + "' is not under " + Keys.UPLOADS_PREFIX + "; the rule should match only that prefix");
    }
    Log log = requestLog.with("videoKey", event.key()).with("eventId", event.eventId());
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Optional<Routed> done = step(event, videos.get(event.key()), log, metrics);
      if (done.isPresent()) {
        return done.get();
      }
    }
    throw new IllegalStateException("video " + event.key() + " kept changing under the router; the retry will settle it");
  }

  /** One round: act on the record as it is now; empty when a condition lost a race. */
  private Optional<Routed> step(ObjectCreated event, Optional<Video> record, Log log, Metrics.Recorder metrics) {
    Instant now = clock.instant();
    if (record.isEmpty()) {
      if (!videos.markOrphaned(event.key(), Keys.userOf(event.key()), event.size(), event.eventId(), now)) {
        return Optional.empty();
      }
      log.warn("object has no upload record; marked ORPHANED and not enqueued", "sizeBytes", event.size());
      metrics.count(MetricNames.ORPHANS, null);
      return Optional.of(new Routed(Outcome.ORPHANED, event.key(), null, null, "no upload record"));
    }
    Video video = record.get();
    return switch (video.status()) {
      case PENDING_UPLOAD -> admit(event, video, now, log, metrics);
      case QUEUED -> video.sent()
          ? Optional.of(duplicate(event, video, log))
          : Optional.of(send(video.videoKey(), video.userId(), tierOf(video, log), video.jobId(), video.queuedAt(),
              Outcome.RESENT, log, metrics));
      default -> Optional.of(duplicate(event, video, log));
    };
  }

  /** PENDING_UPLOAD: check the size, choose the tier, queue, send. */
  private Optional<Routed> admit(ObjectCreated event, Video video, Instant now, Log log, Metrics.Recorder metrics) {
    String tooBig = oversize(event.size(), video.declaredBytes());
    if (tooBig != null) {
      if (!videos.reject(event.key(), tooBig, event.size(), event.eventId(), now)) {
        return Optional.empty();
      }
      log.warn("upload rejected", "reason", tooBig, "userId", video.userId());
      metrics.count(MetricNames.REJECTS, null);
      return Optional.of(new Routed(Outcome.REJECTED, event.key(), null, null, tooBig));
    }
    Optional<String> subscription = subscriptions.of(video.userId());
    Tier tier = config.tiers().forSubscription(subscription.orElse(null));
    String jobId = UUID.randomUUID().toString();
    if (!videos.queue(event.key(), jobId, tier.name(), event.size(), event.eventId(), now)) {
      return Optional.empty();
    }
    log.with("tier", tier.name()).info("video queued", "jobId", jobId, "userId", video.userId(),
        "subscription", subscription.orElse("(none: default tier)"));
    return Optional.of(send(video.videoKey(), video.userId(), tier, jobId, now, Outcome.QUEUED, log, metrics));
  }

  private String oversize(Long size, Long declared) {
    if (size == null) {
      return null;
    }
    if (size > config.maxBytes()) {
      return "uploaded " + size + " bytes; the limit is " + config.maxBytes();
    }
    if (declared != null && size > declared) {
      return "uploaded " + size + " bytes but declared " + declared;
    }
    return null;
  }

  /**
   * QUEUED and not yet sent: put the job on its tier queue, then note it as sent. The job keeps
   * the original queue time, so a re-send after a crash reports the true wait.
   */
  private Routed send(String videoKey, String userId, Tier tier, String jobId, Instant queuedAt, Outcome outcome, Log log,
      Metrics.Recorder metrics) {
    Job job = new Job(jobId, config.bucket(), videoKey, userId, tier.name(), queuedAt);
    String messageId = sqs.sendMessage(b -> {
      b.queueUrl(tier.queueUrl()).messageBody(job.toJson());
      if (config.fairQueues()) {
        // The uploader is the tenant: SQS fair queues keep one user's flood from delaying the rest.
        b.messageGroupId(userId);
      }
    }).messageId();
    boolean first = videos.markSent(videoKey, jobId, clock.instant());
    log.with("tier", tier.name()).info(outcome == Outcome.QUEUED ? "job sent" : "job re-sent after an interrupted delivery",
        "jobId", jobId, "messageId", messageId, "markedSent", first);
    metrics.count(MetricNames.JOBS_QUEUED, tier.name());
    return new Routed(outcome, videoKey, tier.name(), jobId, null);
  }

  private Tier tierOf(Video video, Log log) {
    Optional<Tier> tier = config.tiers().find(video.tier());
    if (tier.isPresent()) {
      return tier.get();
    }
    Tier fallback = config.tiers().defaultTier();
    log.warn("the video's tier is no longer configured; sending to the default tier",
        "recordedTier", video.tier(), "tier", fallback.name());
    return fallback;
  }

  private static Routed duplicate(ObjectCreated event, Video video, Log log) {
    log.info("duplicate event; nothing to do", "status", video.status().name());
    return new Routed(Outcome.DUPLICATE, event.key(), video.tier(), video.jobId(), "the video is " + video.status());
  }

  /** Warms the parts every invocation uses; makes only reads. */
  void prime() {
    videos.prime();
    subscriptions.of("~prime");
    Job.fromJson(new Job("prime", config.bucket(), Keys.UPLOADS_PREFIX + "~prime", "~prime",
        config.tiers().defaultTier().name(), clock.instant()).toJson());
  }
}
