package dev.priorityqueues.worker.flow;

import dev.priorityqueues.common.EventPublisher;
import dev.priorityqueues.common.ProcessedOutput;
import dev.priorityqueues.common.Video;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.contract.CompletionEvents;
import dev.priorityqueues.contract.VideoStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes a finished video's {@code Video Processed} or {@code Video Failed} event, once in
 * effect: the event is built from the record (whose DONE or FAILED never changes), published,
 * then noted on the record ({@code announcedAt}). A failure before the note leaves the message
 * unacknowledged, and its redelivery publishes the same outcome again; consumers drop a repeat by
 * {@code detail.announcementId}. No bus configured (PQ_EVENT_BUS unset) publishes nothing.
 */
public final class Announcer {

  private final VideoStore videos;
  private final Optional<EventPublisher> events;
  private final Clock clock;

  public Announcer(VideoStore videos, Optional<EventPublisher> events, Clock clock) {
    this.videos = videos;
    this.events = events;
    this.clock = clock;
  }

  /**
   * @return true if an event was published now, false if there was nothing to publish
   * @throws RuntimeException when publishing failed; the caller must not acknowledge the message
   */
  public boolean announce(String videoKey, String jobId) {
    if (events.isEmpty()) {
      return false;
    }
    return announce(videos.get(videoKey).orElse(null), jobId);
  }

  /**
   * The same for a record just written by this job's DONE or FAILED update (its ALL_NEW image):
   * no read needed.
   */
  public boolean announce(Video video, String jobId) {
    if (events.isEmpty()) {
      return false;
    }
    if (video == null || video.announcedAt() != null || !jobId.equals(video.jobId())
        || (video.status() != VideoStatus.DONE && video.status() != VideoStatus.FAILED)) {
      return false;
    }
    boolean done = video.status() == VideoStatus.DONE;
    events.get().put(CompletionEvents.SOURCE, done ? CompletionEvents.PROCESSED : CompletionEvents.FAILED,
        detail(video));
    videos.markAnnounced(video.videoKey(), jobId, clock.instant());
    return true;
  }

  /** What consumers get: the video, who and which tier, its outputs or reason, and its waits. */
  static Map<String, Object> detail(Video video) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("announcementId", video.videoKey() + "#" + video.jobId());
    detail.put("videoKey", video.videoKey());
    detail.put("jobId", video.jobId());
    detail.put("userId", video.userId());
    detail.put("tier", video.tier());
    detail.put("status", video.status().name());
    detail.put("attempts", video.attempts());
    detail.put("queueWaitMillis", video.queueWaitMillis());
    if (video.queuedAt() != null && video.finishedAt() != null) {
      detail.put("totalWaitMillis", Duration.between(video.queuedAt(), video.finishedAt()).toMillis());
    }
    detail.put("finishedAt", video.finishedAt() == null ? null : video.finishedAt().toString());
    if (video.status() == VideoStatus.DONE) {
      detail.put("outputs", video.outputs().stream().map(ProcessedOutput::toMap).toList());
    } else {
      detail.put("reason", video.reason());
    }
    detail.values().removeIf(java.util.Objects::isNull);
    return detail;
  }
}
