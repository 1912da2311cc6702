package dev.priorityqueues.contract;

import java.time.Duration;

/**
 * How long personal data (a user id, a file name, the uploaded bytes and what was made of them)
 * is kept: the defaults and bounds the program's config and the functions' environment share.
 */
public final class Retention {
  private Retention() {}

  /** Days a video record lives after its last status change (DynamoDB TTL). */
  public static final int DEFAULT_RECORD_DAYS = 90;
  /** Days an object under {@code processed/} lives (an S3 lifecycle rule). */
  public static final int DEFAULT_PROCESSED_DAYS = 90;
  /** The longest retention any of these settings takes, in days (10 years). */
  public static final int MAX_DAYS = 3650;

  /** The time after which a record written at {@code epochMillis} expires, as DynamoDB TTL wants it: epoch seconds. */
  public static long expiresAtEpochSeconds(long epochMillis, Duration retention) {
    return Math.addExact(epochMillis, retention.toMillis()) / 1000;
  }
}
