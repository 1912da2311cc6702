package dev.priorityqueues.worker.flow;

import dev.priorityqueues.common.Claim;
import dev.priorityqueues.common.Completion;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Video;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.MessageAttributes;
import dev.priorityqueues.contract.MetricNames;
import dev.priorityqueues.worker.processing.PermanentFailure;
import dev.priorityqueues.common.InputDisposal;
import dev.priorityqueues.worker.processing.VideoProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Everything that happens to one job, whichever flow hands it over (docs/design.md, "Worker:
 * idempotent effects"): parse, claim the video, process, record DONE or FAILED; on a transient
 * failure, a short exponential backoff; on the last allowed receive, the tier's DLQ with the
 * reason. Every status change is conditional on holding the claim, so a redelivered message
 * never repeats a finished effect.
 */
public final class JobRunner {

  /** SQS's longest visibility timeout is 12 hours; a retry that far out is a lost job. */
  static final int MAX_BACKOFF_SECONDS = 900;

  /** The lease outlives this invocation by a little: only a dead invocation's lease expires. */
  static final Duration LEASE_SLACK = Duration.ofSeconds(1);

  /** A reason is for people; SQS attributes and DynamoDB items have limits. */
  static final int MAX_REASON_CHARS = 1000;

  private final VideoStore videos;
  private final VideoProcessor processor;
  private final Queues queues;
  private final JobTimer timer;
  private final int backoffSeconds;
  private final Clock clock;
  private final Announcer announcer;
  private final java.util.Optional<InputDisposal> inputs;

  public JobRunner(VideoStore videos, VideoProcessor processor, Queues queues, JobTimer timer, int backoffSeconds,
      Clock clock) {
    this(videos, processor, queues, timer, backoffSeconds, clock, new Announcer(videos, java.util.Optional.empty(), clock),
        java.util.Optional.empty());
  }

  /** {@code inputs}: what removes the upload of a video FAILED for good; none keeps it (tests). */
  public JobRunner(VideoStore videos, VideoProcessor processor, Queues queues, JobTimer timer, int backoffSeconds,
      Clock clock, Announcer announcer, java.util.Optional<InputDisposal> inputs) {
    this.announcer = announcer;
    this.inputs = inputs;
    this.videos = videos;
    this.processor = processor;
    this.queues = queues;
    this.timer = timer;
    this.backoffSeconds = backoffSeconds;
    this.clock = clock;
  }

  public JobTimer timer() {
    return timer;
  }

  public Outcome run(Delivery delivery, Invocation invocation) {
    Log log = invocation.log().with("tier", delivery.tier().name()).with("messageId", delivery.messageId());
    Job job;
    try {
      job = Job.fromJson(delivery.body());
    } catch (ContractException e) {
      return retryOrDeadLetter(delivery, null, "malformed job: " + e.getMessage(), log, invocation);
    }
    log = log.with("videoKey", job.videoKey()).with("jobId", job.jobId());
    if (!invocation.canStart(timer.expectedMillis())) {
      return retryOrDeadLetter(delivery, job, "not started: " + invocation.remainingMillis()
          + " ms were left and a job takes about " + timer.expectedMillis() + " ms", log, invocation, 0);
    }

    Instant now = clock.instant();
    Instant leaseUntil = now.plusMillis(invocation.remainingMillis()).plus(LEASE_SLACK);
    long queueWait = Duration.between(job.enqueuedAt(), now).toMillis();
    Claim claim;
    try {
      claim = videos.claim(job.videoKey(), job.jobId(), now, leaseUntil, queueWait);
    } catch (SdkException e) {
      return retryOrDeadLetter(delivery, job, "could not claim the video: " + summary(e), log, invocation);
    }
    return switch (claim) {
      case Claim.Claimed claimed -> process(delivery, job, claimed, queueWait, log, invocation);
      case Claim.AlreadyFinished finished -> {
        log.info("redelivered job of a finished video; acknowledged without effect", "status", finished.status().name(),
            "receiveCount", delivery.receiveCount(), "origin", delivery.origin().name());
        // An earlier delivery recorded the outcome but may have died before announcing it, or
        // before the failed input was gone.
        if (finished.status() == dev.priorityqueues.contract.VideoStatus.FAILED) {
          Outcome undisposed = disposeOfInput(delivery, job, true, log, invocation);
          if (undisposed != null) {
            yield undisposed;
          }
        }
        Outcome announced = announce(delivery, job, log, invocation);
        yield announced == null ? Outcome.DUPLICATE : announced;
      }
      case Claim.HeldElsewhere held -> retryOrDeadLetter(delivery, job,
          "another invocation holds the video until " + held.leaseUntil(), log, invocation,
          (int) Math.min(MAX_BACKOFF_SECONDS, Math.max(1, Duration.between(now, held.leaseUntil()).toSeconds() + 1)));
      case Claim.Missing missing -> deadLetter(delivery, job, "there is no video record for " + job.videoKey(), log,
          invocation);
      case Claim.NotClaimable refused -> deadLetter(delivery, job, refused.reason(), log, invocation);
    };
  }

  /** Gives the claim back, so a retry need not wait out the lease, then retries or dead-letters. */
  private Outcome releaseAndRetry(Delivery delivery, Job job, Claim.Claimed claim, String reason, Log log,
      Invocation invocation) {
    try {
      videos.release(job.videoKey(), job.jobId(), claim.attempt(), truncate(reason));
    } catch (SdkException releaseFailed) {
      log.warn("could not release the claim; it expires with its lease", releaseFailed);
    }
    return retryOrDeadLetter(delivery, job, reason, log.with("attempt", claim.attempt()), invocation);
  }

  private Outcome process(Delivery delivery, Job job, Claim.Claimed claim, long queueWait, Log log,
      Invocation invocation) {
    long started = System.nanoTime();
    Completion result;
    try {
      result = processor.process(job, invocation::remainingMillis);
    } catch (PermanentFailure e) {
      timer.record(elapsedMillis(started));
      Optional<Video> recorded =
          videos.fail(job.videoKey(), job.jobId(), claim.attempt(), clock.instant(), truncate(e.getMessage()));
      log.warn("job failed for good", "reason", e.getMessage(), "attempt", claim.attempt(), "recorded", recorded.isPresent());
      invocation.metrics().count(MetricNames.JOBS_FAILED, delivery.tier().name());
      if (recorded.isEmpty()) {
        return Outcome.DUPLICATE;
      }
      Outcome undisposed = disposeOfInput(delivery, job, false, log, invocation);
      if (undisposed != null) {
        return undisposed;
      }
      Outcome unannounced = announce(delivery, job, recorded.get(), log, invocation);
      return unannounced == null ? Outcome.FAILED : unannounced;
    } catch (RuntimeException e) {
      timer.record(elapsedMillis(started));
      return releaseAndRetry(delivery, job, claim, "processing failed: " + summary(e), log, invocation);
    }
    long millis = elapsedMillis(started);
    timer.record(millis);
    Optional<Video> recorded;
    try {
      recorded = videos.complete(job.videoKey(), job.jobId(), claim.attempt(), clock.instant(), result);
    } catch (SdkException e) {
      // The result object is written but DONE is not: a retry processes again and overwrites the
      // same result with the same content, then records DONE once.
      return releaseAndRetry(delivery, job, claim, "could not record DONE: " + summary(e), log, invocation);
    }
    if (recorded.isEmpty()) {
      log.warn("finished a job whose claim had expired; the newer claim records the result", "attempt", claim.attempt());
      return Outcome.DUPLICATE;
    }
    log.info("job done", "container", result.container(), "processMillis", millis, "queueWaitMillis", queueWait,
        "attempt", claim.attempt(), "receiveCount", delivery.receiveCount(), "origin", delivery.origin().name(),
        "stepMillis", result.stepMillis().isEmpty() ? null : result.stepMillis());
    invocation.metrics().count(MetricNames.JOBS_DONE, delivery.tier().name());
    invocation.metrics().time(MetricNames.QUEUE_WAIT, delivery.tier().name(), queueWait);
    invocation.metrics().time(MetricNames.END_TO_END, delivery.tier().name(),
        Duration.between(job.enqueuedAt(), clock.instant()).toMillis());
    Outcome unannounced = announce(delivery, job, recorded.get(), log, invocation);
    return unannounced == null ? Outcome.DONE : unannounced;
  }

  /**
   * Deletes or quarantines the upload of a video FAILED for good (rejectedInputs), the version
   * the job pinned, and notes it on the record; null when that is settled, or the retry outcome
   * when it failed (the message comes back, and its redelivery finds FAILED and tries again).
   * {@code again}: a redelivery, which first reads whether an earlier delivery did it.
   */
  private Outcome disposeOfInput(Delivery delivery, Job job, boolean again, Log log, Invocation invocation) {
    if (inputs.isEmpty()) {
      return null;
    }
    try {
      if (again && videos.get(job.videoKey()).map(v -> v.inputDisposition() != null).orElse(true)) {
        return null;
      }
      InputDisposal.Result result = inputs.get().dispose(job.videoKey(), job.versionId(), again);
      videos.markInputDisposed(job.videoKey(), result);
      log.info("input disposed of", "disposition", result.disposition().name(), "versionId", job.versionId(),
          "quarantineKey", result.quarantineKey());
      return null;
    } catch (RuntimeException e) {
      return retryOrDeadLetter(delivery, job, "the video FAILED but its upload could not be "
          + (inputs.get().mode() == dev.priorityqueues.contract.RejectedInputs.QUARANTINE ? "quarantined" : "deleted")
          + ": " + summary(e), log, invocation);
    }
  }

  /**
   * Publishes the finished video's event if nobody has; null when that is settled, or the retry
   * outcome when publishing failed (the message must come back, or the event would be lost).
   */
  private Outcome announce(Delivery delivery, Job job, Log log, Invocation invocation) {
    return announce(delivery, job, null, log, invocation);
  }

  /** {@code written}: the record this job's DONE or FAILED update returned; null reads it. */
  private Outcome announce(Delivery delivery, Job job, Video written, Log log,
      Invocation invocation) {
    try {
      if (written == null ? announcer.announce(job.videoKey(), job.jobId()) : announcer.announce(written, job.jobId())) {
        log.info("completion event published");
      }
      return null;
    } catch (RuntimeException e) {
      return retryOrDeadLetter(delivery, job, "the video is finished but its completion event was not published: "
          + summary(e), log, invocation);
    }
  }

  private Outcome retryOrDeadLetter(Delivery delivery, Job job, String reason, Log log, Invocation invocation) {
    return retryOrDeadLetter(delivery, job, reason, log, invocation, backoff(delivery.receiveCount()));
  }

  /**
   * A transient failure: back to the queue after {@code retryInSeconds} (ChangeMessageVisibility,
   * so the retry comes soon rather than after the whole visibility timeout), unless this was the
   * last receive the tier allows, in which case the worker dead-letters it with the reason.
   */
  private Outcome retryOrDeadLetter(Delivery delivery, Job job, String reason, Log log, Invocation invocation,
      int retryInSeconds) {
    if (delivery.receiveCount() >= delivery.tier().maxReceiveCount()) {
      return deadLetter(delivery, job, reason, log, invocation);
    }
    try {
      queues.changeVisibility(delivery, retryInSeconds);
    } catch (SdkException e) {
      log.warn("could not shorten the retry; the message returns after its visibility timeout", e);
    }
    log.warn("job will be retried", "reason", reason, "receiveCount", delivery.receiveCount(),
        "maxReceiveCount", delivery.tier().maxReceiveCount(), "retryInSeconds", retryInSeconds);
    invocation.metrics().count(MetricNames.RETRIES, delivery.tier().name());
    return Outcome.RETRY;
  }

  /** Exponential backoff from the configured base: base, 2×base, 4×base, ... capped. */
  int backoff(int receiveCount) {
    long seconds = (long) backoffSeconds << Math.min(20, Math.max(0, receiveCount - 1));
    return (int) Math.min(MAX_BACKOFF_SECONDS, seconds);
  }

  /**
   * Moves the message to its tier's DLQ with why, when, and from where; the original is then
   * acknowledged. If the DLQ cannot be reached the message stays (not acknowledged), and the
   * queue's own redrive policy moves it on its next receive.
   */
  private Outcome deadLetter(Delivery delivery, Job job, String reason, Log log, Invocation invocation) {
    String why = truncate(reason);
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    attributes.put(MessageAttributes.FAILURE_REASON, Queues.text(why));
    attributes.put(MessageAttributes.RECEIVE_COUNT, Queues.number(delivery.receiveCount()));
    attributes.put(MessageAttributes.SOURCE_QUEUE_ARN, Queues.text(delivery.tier().queueArn()));
    try {
      queues.sendToDeadLetterQueue(delivery, attributes);
    } catch (SdkException e) {
      log.error("could not dead-letter the message; it stays for the queue's redrive policy", e, "reason", why);
      return Outcome.RETRY;
    }
    boolean marked = false;
    if (job != null) {
      try {
        marked = videos.markDeadLettered(job.videoKey(), job.jobId(), why, clock.instant());
      } catch (SdkException e) {
        log.warn("the message is in the DLQ but the video could not be marked DEAD_LETTERED", e);
      }
    }
    log.error("job dead-lettered", null, "reason", why, "receiveCount", delivery.receiveCount(),
        "dlq", delivery.tier().dlqArn(), "videoMarked", marked);
    invocation.metrics().count(MetricNames.DEAD_LETTERS, delivery.tier().name());
    return Outcome.DEAD_LETTERED;
  }

  private static String summary(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String truncate(String reason) {
    return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 1) + "…";
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
