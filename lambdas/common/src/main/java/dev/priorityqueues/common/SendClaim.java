package dev.priorityqueues.common;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The router's claim to send one job: a token naming the claiming invocation, and the end of its
 * lease. The lease covers the claimant's whole invocation (its remaining time plus a second), so
 * a live claimant never loses it and a dead one's claim ends by itself.
 */
public record SendClaim(String token, Instant leaseUntil) {

  public SendClaim {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
  }

  /** A new claim whose lease ends a second after the claiming invocation must have ended. */
  public static SendClaim until(Instant invocationDeadline) {
    return new SendClaim(UUID.randomUUID().toString(), invocationDeadline.plusSeconds(1));
  }
}
