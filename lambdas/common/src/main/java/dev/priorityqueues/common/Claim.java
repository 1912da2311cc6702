package dev.priorityqueues.common;

import dev.priorityqueues.contract.VideoStatus;
import java.time.Instant;

/** What happened when a worker tried to claim a video for one job. */
public sealed interface Claim {

  /** This worker holds the video; {@code attempt} identifies the claim in later updates. */
  record Claimed(int attempt, Instant startedAt) implements Claim {}

  /** The work was done (or failed for good) already: a redelivery, to acknowledge. */
  record AlreadyFinished(VideoStatus status) implements Claim {}

  /** Another invocation holds a live lease; try again once it has expired. */
  record HeldElsewhere(Instant leaseUntil) implements Claim {}

  /** There is no record for the video: the job can never succeed. */
  record Missing() implements Claim {}

  /** The record exists but this job may never claim it (another job, or not queued). */
  record NotClaimable(String reason) implements Claim {}
}
