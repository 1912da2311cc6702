package dev.priorityqueues.router;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the router did with one event; the handler returns it as a small JSON object. */
record Routed(Outcome outcome, String videoKey, String tier, String jobId, String reason) {

  enum Outcome {
    /** A new job was put on its tier queue. */
    QUEUED,
    /** A retried or duplicate delivery found the job queued but not yet sent, and sent it. */
    RESENT,
    /** A duplicate delivery: the job was sent already, or the video went another way. */
    DUPLICATE,
    /** The object had no upload record; it is marked ORPHANED and not enqueued. */
    ORPHANED,
    /** The upload broke its declared or allowed size; it is marked REJECTED. */
    REJECTED
  }

  Map<String, String> toMap() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("outcome", outcome.name());
    out.put("videoKey", videoKey);
    if (tier != null) {
      out.put("tier", tier);
    }
    if (jobId != null) {
      out.put("jobId", jobId);
    }
    if (reason != null) {
      out.put("reason", reason);
    }
    return out;
  }
}
