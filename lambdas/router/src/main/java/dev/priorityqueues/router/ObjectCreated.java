package dev.priorityqueues.router;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Json;
import java.util.Map;

/**
 * An object that landed in the bucket, read from either EventBridge shape S3 produces:
 *
 * <ul>
 *   <li>{@code Object Created} (S3's own EventBridge notifications): {@code detail.bucket.name},
 *       {@code detail.object.key}, {@code detail.object.size};
 *   <li>{@code AWS API Call via CloudTrail} for {@code PutObject} (the seed's shape):
 *       {@code detail.requestParameters.bucketName} and {@code .key}; the size, when CloudTrail
 *       has it, in {@code detail.additionalEventData.bytesTransferredIn}.
 * </ul>
 *
 * Anything else is refused with a {@link ContractException} that says what was expected.
 *
 * @param size the object's size in bytes, or null when the event does not say
 * @param failedCall for a CloudTrail event of a call S3 refused, its error code; else null
 */
record ObjectCreated(String eventId, String bucket, String key, Long size, String failedCall) {

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
          null);
    }
    if (CLOUDTRAIL_CALL.equals(detailType)) {
      String what = "CloudTrail detail";
      String eventName = Json.string(detail, "eventName", what);
      if (!"PutObject".equals(eventName)) {
        throw new ContractException(what + " is for " + eventName + "; the router takes PutObject calls only");
      }
      Map<String, Object> parameters = Json.object(detail, "requestParameters", what);
      Long size = detail.get("additionalEventData") == null
          ? null
          : size(Json.object(detail, "additionalEventData", what), "bytesTransferredIn", what + " additionalEventData");
      return new ObjectCreated(
          event.getId(),
          Json.string(parameters, "bucketName", what + " requestParameters"),
          Json.string(parameters, "key", what + " requestParameters"),
          size,
          Json.optionalString(detail, "errorCode", what));
    }
    throw new ContractException("detail-type '" + detailType + "' is not one the router takes: '" + OBJECT_CREATED
        + "' or '" + CLOUDTRAIL_CALL + "' (PutObject)");
  }

  /** An optional size in bytes: absent is null, anything but a whole number ≥ 0 is an error. */
  private static Long size(Map<String, Object> object, String field, String what) {
    return object.get(field) == null ? null : Json.integer(object, field, what, 0, Long.MAX_VALUE);
  }
}
