package dev.priorityqueues.router;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Json;
import java.util.Map;

/**
 * An object that landed in the bucket, read from S3's own EventBridge notification, {@code Object
 * Created}: {@code detail.bucket.name}, {@code detail.object.key}, {@code detail.object.size}.
 *
 * <p>CloudTrail's "AWS API Call via CloudTrail" record of a {@code PutObject} (the seed's shape) is
 * refused by name: it needs a trail that logs S3 data events, which are charged per event, it is
 * delivered on a best-effort basis, and it names each way of creating an object as another call;
 * S3's own notification needs only the bucket setting the program makes (README, "Upload
 * events").
 *
 * Anything else is refused with a {@link ContractException} that says what was expected.
 *
 * @param size the object's size in bytes, or null when the event does not say
 * @param versionId {@code detail.object.version-id}: the version this event is about, or null
 *     when the bucket has no versioning
 * @param eTag {@code detail.object.etag}, or null when the event does not say
 */
record ObjectCreated(String eventId, String bucket, String key, Long size, String versionId, String eTag) {

  ObjectCreated(String eventId, String bucket, String key, Long size) {
    this(eventId, bucket, key, size, null, null);
  }

  static final String OBJECT_CREATED = "Object Created";
  static final String CLOUDTRAIL_CALL = "AWS API Call via CloudTrail";
  static final String S3_SOURCE = "aws.s3";

  static ObjectCreated from(ScheduledEvent event) {
    if (event == null) {
      throw new ContractException("the router got no event");
    }
    if (!S3_SOURCE.equals(event.getSource())) {
      throw new ContractException(
          "event source '" + event.getSource() + "' is not " + S3_SOURCE + "; the router takes S3 object events");
    }
    if (event.getId() == null || event.getId().isBlank()) {
      throw new ContractException("event has no id");
    }
    Map<String, Object> detail = event.getDetail();
    if (detail == null) {
      throw new ContractException("event " + event.getId() + " has no detail");
    }
    String detailType = event.getDetailType();
    if (OBJECT_CREATED.equals(detailType)) {
      String what = "Object Created detail";
      Map<String, Object> bucket = Json.object(detail, "bucket", what);
      Map<String, Object> object = Json.object(detail, "object", what);
      return new ObjectCreated(
          event.getId(),
          Json.string(bucket, "name", what + " bucket"),
          Json.string(object, "key", what + " object"),
          size(object, "size", what + " object"),
          optional(object, "version-id", what + " object"),
          optional(object, "etag", what + " object"));
    }
    if (CLOUDTRAIL_CALL.equals(detailType)) {
      throw new ContractException("event " + event.getId() + " is a CloudTrail API call; the router takes S3's own '"
          + OBJECT_CREATED + "' notifications only (EventBridge notifications on the bucket)");
    }
    throw new ContractException("detail-type '" + detailType + "' is not one the router takes: '" + OBJECT_CREATED + "'");
  }

  /** An optional string: absent is null, anything but a non-blank string is an error. */
  private static String optional(Map<String, Object> object, String field, String what) {
    return object.get(field) == null ? null : Json.string(object, field, what);
  }

  /** An optional size in bytes: absent is null, anything but a whole number ≥ 0 is an error. */
  private static Long size(Map<String, Object> object, String field, String what) {
    return object.get(field) == null ? null : Json.integer(object, field, what, 0, Long.MAX_VALUE);
  }
}
