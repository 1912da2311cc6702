package dev.priorityqueues.worker.processing;

import dev.priorityqueues.common.Completion;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.Keys;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The default processor: reads the uploaded object's container headers with ranged GETs
 * ({@link ContainerProbe}), and writes one JSON result object under {@code processed/}. Real
 * transcoding would replace this class; the worker around it stays the same.
 */
public final class InspectingProcessor implements VideoProcessor {

  /** A first guess before the worker has timed a job: a few S3 round trips. */
  static final long EXPECTED_MILLIS = 1_000;

  private final S3Client s3;
  private final String bucket;
  private final Clock clock;

  public InspectingProcessor(S3Client s3, String bucket, Clock clock) {
    this.s3 = s3;
    this.bucket = bucket;
    this.clock = clock;
  }

  @Override
  public Completion process(Job job) {
    if (!bucket.equals(job.bucket())) {
      throw new PermanentFailure("the job names bucket '" + job.bucket() + "'; this worker reads '" + bucket + "'");
    }
    S3ByteSource source = new S3ByteSource(s3, bucket, UploadVersion.of(job));
    VideoInfo info = ContainerProbe.probe(source);
    String resultKey = Keys.resultKey(job.videoKey());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("videoKey", job.videoKey());
    result.put("jobId", job.jobId());
    result.put("userId", job.userId());
    result.put("tier", job.tier());
    result.put("container", info.container());
    result.put("brand", info.brand());
    result.put("durationMillis", info.durationMillis());
    result.put("width", info.width());
    result.put("height", info.height());
    result.put("sizeBytes", source.size());
    result.put("rangedReads", source.fetches());
    result.put("inspectedAt", clock.instant().toString());
    result.values().removeIf(java.util.Objects::isNull);
    s3.putObject(b -> b.bucket(bucket).key(resultKey).contentType("application/json"),
        RequestBody.fromString(Json.write(result)));
    return new Completion(info.container(), info.durationMillis(), info.width(), info.height(), resultKey);
  }

  @Override
  public long expectedMillis() {
    return EXPECTED_MILLIS;
  }

  /** One real read (of a key that never exists) warms the S3 client; any answer will do. */
  @Override
  public void prime() {
    try {
      s3.headObject(b -> b.bucket(bucket).key(Keys.PRIME_VIDEO_KEY));
    } catch (software.amazon.awssdk.services.s3.model.S3Exception expected) {
      // 404 (403 if the role lost s3:ListBucket): the request and response paths are warm either way.
    }
  }
}
