package dev.priorityqueues.router;

import dev.priorityqueues.common.InputDisposal;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Metrics;
import dev.priorityqueues.common.SendClaim;
import dev.priorityqueues.common.Video;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.contract.TierTable.Tier;
import dev.priorityqueues.router.Routed.Outcome;
import java.time.Clock;
import java.time.Duration;
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

  /**
   * Time kept back from waiting for another delivery's send, so this invocation still returns
   * (and fails cleanly, to be retried) before its own timeout.
   */
  static final Duration RETURN_MARGIN = Duration.ofSeconds(1);

  /** How often a delivery that waits for another's send looks again: first, and at most. */
  private static final long FIRST_LOOK_MILLIS = 10;
  private static final long MAX_LOOK_MILLIS = 250;

  private final RouterConfig config;
  private final VideoStore videos;
  private final Subscriptions subscriptions;
  private final SqsClient sqs;
  private final InputDisposal inputs;
  private final Clock clock;

  RouterService(RouterConfig config, VideoStore videos, Subscriptions subscriptions, SqsClient sqs,
      InputDisposal inputs, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.videos = Objects.requireNonNull(videos, "videos");
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.inputs = Objects.requireNonNull(inputs, "inputs");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Routes one delivery of an upload event. {@code remaining} is the invocation's time left: a
   * send claim lasts until just after it ends, and waiting for another delivery's send stops short
   * of it.
   */
  Routed route(ObjectCreated event, Log requestLog, Metrics.Recorder metrics, Duration remaining) {
    Instant deadline = clock.instant().plus(remaining);
    if (!config.bucket().equals(event.bucket())) {
      throw new ContractException(
          "event " + event.eventId() + " is for bucket '" + event.bucket() + "'; this router serves '" + config.bucket() + "'");
    }
    if (!event.key().startsWith(Keys.UPLOADS_PREFIX)) {
      throw new ContractException(
          "object key '" + event.key() + "' is not under " + Keys.UPLOADS_PREFIX + "; the rule should match only that prefix");
    }
    Log log = requestLog.with("videoKey", event.key()).with("eventId", event.eventId());
    long look = FIRST_LOOK_MILLIS;
    for (int races = 0; races < MAX_ROUNDS; ) {
      Step step = step(event, videos.get(event.key()), deadline, log, metrics);
      switch (step) {
        case Step.Done done -> {
          return done.routed();
        }
        case Step.Raced raced -> races++;
        case Step.SendHeld held -> {
          // Another delivery claimed the send and may be sending now: wait for it to note the
          // job as sent, or for its lease to end (then it died, and this delivery sends).
          Instant now = clock.instant();
          if (now.plusMillis(look).isAfter(deadline.minus(RETURN_MARGIN))) {
            throw new IllegalStateException("video " + event.key() + " is being sent by another delivery, whose claim"
                + " lasts until " + held.leaseUntil() + "; the retry sends the job if that delivery never did");
          }
          pause(Math.min(look, Math.max(1, Duration.between(now, held.leaseUntil()).toMillis() + 1)));
          look = Math.min(2 * look, MAX_LOOK_MILLIS);
        }
      }
    }
    throw new IllegalStateException("video " + event.key() + " kept changing under the router; the retry will settle it");
  }

  /** What one round found: the outcome, a lost race (look again), or a send claimed by another delivery. */
  private sealed interface Step {
    record Done(Routed routed) implements Step {}

    record Raced() implements Step {}

    record SendHeld(Instant leaseUntil) implements Step {}
  }

  /** One round: act on the record as it is now. */
  private Step step(ObjectCreated event, Optional<Video> record, Instant deadline, Log log, Metrics.Recorder metrics) {
    Instant now = clock.instant();
    if (record.isEmpty()) {
      if (!videos.markOrphaned(event.key(), Keys.userOf(event.key()), event.size(), event.eventId(), now)) {
        return new Step.Raced();
      }
      log.warn("object has no upload record; marked ORPHANED and not enqueued", "sizeBytes", event.size());
      metrics.count(MetricNames.ORPHANS, null);
      disposeOfInput(event, false, log);
      return new Step.Done(new Routed(Outcome.ORPHANED, event.key(), null, null, "no upload record"));
    }
    Video video = record.get();
    return switch (video.status()) {
      case PENDING_UPLOAD -> admit(event, video, now, deadline, log, metrics);
      case QUEUED -> resume(event, video, now, deadline, log, metrics);
      case REJECTED, ORPHANED -> {
        // An earlier delivery recorded the ending but may have died before the input was gone.
        if (video.inputDisposition() == null) {
          disposeOfInput(event, true, log);
        }
        yield new Step.Done(duplicate(event, video, log));
      }
      default -> new Step.Done(duplicate(event, video, log));
    };
  }

  /**
   * QUEUED: sent already (a duplicate), being sent by another delivery (wait), or never sent
   * because a delivery failed or died before noting it: take the claim and send.
   */
  private Step resume(ObjectCreated event, Video video, Instant now, Instant deadline, Log log, Metrics.Recorder metrics) {
    if (video.sent()) {
      return new Step.Done(duplicate(event, video, log));
    }
    if (video.sendClaimedAt(now)) {
      return new Step.SendHeld(video.sendLeaseUntil());
    }
    SendClaim claim = SendClaim.until(deadline);
    if (!videos.claimSend(video.videoKey(), video.jobId(), claim, now)) {
      return new Step.Raced();
    }
    return new Step.Done(send(video.videoKey(), video.userId(), tierOf(video, log), video.jobId(), video.queuedAt(), claim,
        video.versionId(), video.eTag(), Outcome.RESENT, log, metrics));
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while another delivery was sending the job", e);
    }
  }

  /** PENDING_UPLOAD: check the size, choose the tier, queue with the send claim, send. */
  private Step admit(ObjectCreated event, Video video, Instant now, Instant deadline, Log log, Metrics.Recorder metrics) {
    String tooBig = oversize(event.size(), video.declaredBytes());
    if (tooBig != null) {
      if (!videos.reject(event.key(), tooBig, event.size(), event.eventId(), now)) {
        return new Step.Raced();
      }
      log.warn("upload rejected", "reason", tooBig, "userId", video.userId());
      metrics.count(MetricNames.REJECTS, null);
      disposeOfInput(event, false, log);
      return new Step.Done(new Routed(Outcome.REJECTED, event.key(), null, null, tooBig));
    }
    Optional<String> subscription = subscriptions.of(video.userId());
    Tier tier = config.tiers().forSubscription(subscription.orElse(null));
    String jobId = UUID.randomUUID().toString();
    SendClaim claim = SendClaim.until(deadline);
    // The version (and ETag) this event reports is what was checked and admitted: the job pins
    // it, so a later write to the key (a replayed or forced PUT) never reaches the worker.
    if (!videos.queue(event.key(), jobId, tier.name(), event.size(), event.eventId(), now, claim,
        event.versionId(), event.eTag())) {
      return new Step.Raced();
    }
    log.with("tier", tier.name()).info("video queued", "jobId", jobId, "userId", video.userId(),
        "subscription", subscription.orElse("(none: default tier)"), "versionId", event.versionId());
    return new Step.Done(send(video.videoKey(), video.userId(), tier, jobId, now, claim, event.versionId(), event.eTag(),
        Outcome.QUEUED, log, metrics));
  }

  /**
   * The upload will never be processed: delete or quarantine the version this event reports
   * ({@code rejectedInputs}), after the record holds the reason, and note it there. A failure
   * propagates, so Lambda's retry finds the ending recorded and tries again ({@code again}).
   */
  private void disposeOfInput(ObjectCreated event, boolean again, Log log) {
    InputDisposal.Result result = inputs.dispose(event.key(), event.versionId(), again);
    videos.markInputDisposed(event.key(), result);
    log.info("input disposed of", "disposition", result.disposition().name(), "versionId", event.versionId(),
        "quarantineKey", result.quarantineKey());
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
   * Holding the send claim: put the job on its tier queue, then note it as sent. The job keeps
   * the original queue time, so a re-send after a crash reports the true wait. If anything fails,
   * the claim is given back so the retry can send at once instead of waiting for the lease.
   */
  private Routed send(String videoKey, String userId, Tier tier, String jobId, Instant queuedAt, SendClaim claim,
      String versionId, String eTag, Outcome outcome, Log log, Metrics.Recorder metrics) {
    Job job = new Job(jobId, config.bucket(), videoKey, userId, tier.name(), queuedAt, versionId, eTag);
    String messageId;
    boolean first;
    try {
      messageId = sqs.sendMessage(b -> {
        b.queueUrl(tier.queueUrl()).messageBody(job.toJson());
        if (config.fairQueues()) {
          // The uploader is the tenant: SQS fair queues keep one user's flood from delaying the rest.
          // A subject need not fit SQS's group id rules (128 ASCII characters), so it is mapped.
          b.messageGroupId(Keys.messageGroupOf(userId));
        }
      }).messageId();
      first = videos.markSent(videoKey, jobId, clock.instant());
    } catch (RuntimeException e) {
      try {
        videos.releaseSend(videoKey, claim);
      } catch (RuntimeException release) {
        e.addSuppressed(release);
      }
      throw e;
    }
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
    subscriptions.of(Keys.PRIME);
    Job.fromJson(new Job("prime", config.bucket(), Keys.PRIME_VIDEO_KEY, Keys.PRIME,
        config.tiers().defaultTier().name(), clock.instant()).toJson());
  }
}
