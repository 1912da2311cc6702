package dev.priorityqueues.contract;

/**
 * Where a video stands. Transitions are conditional updates, so each happens once:
 * PENDING_UPLOAD → QUEUED → PROCESSING → DONE or FAILED; PENDING_UPLOAD → REJECTED when the
 * upload breaks its declared limits. ORPHANED marks an object that arrived with no record.
 * DEAD_LETTERED marks a job whose message went to its DLQ; a redrive can claim it again.
 */
public enum VideoStatus {
  PENDING_UPLOAD,
  QUEUED,
  PROCESSING,
  DONE,
  FAILED,
  REJECTED,
  ORPHANED,
  DEAD_LETTERED;

  /** True when no further transition can happen. */
  public boolean terminal() {
    return this == DONE || this == FAILED || this == REJECTED || this == ORPHANED;
  }
}
