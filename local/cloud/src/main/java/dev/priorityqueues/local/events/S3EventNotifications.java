package dev.priorityqueues.local.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * S3's EventBridge notifications for the local S3 server. S3Proxy has none, so this wraps its
 * blob store: after an object is stored (PUT, multipart completion, copy) in a bucket that has
 * EventBridge notifications enabled, it emits the {@code Object Created} event exactly as S3
 * sends it to EventBridge.
 */
public final class S3EventNotifications {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String region;
  private final String accountId;
  private final Set<String> eventBridgeBuckets = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1000);
  private volatile Consumer<String> sink = event -> {};

  public S3EventNotifications(String region, String accountId) {
    this.region = region;
    this.accountId = accountId;
  }

  /** Where events go: the local event bus, once it exists. */
  public void sendTo(Consumer<String> sink) {
    this.sink = sink;
  }

  /** The program declared a bucket notification with {@code eventbridge = true}. */
  public void enableEventBridge(String bucket) {
    eventBridgeBuckets.add(bucket);
  }

  /** Wraps a blob store so that stored objects produce events. */
  public BlobStore wrap(BlobStore delegate) {
    return new ForwardingBlobStore(delegate) {
      @Override
      public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        created(request.bucket(), request.key(), response.eTag(), response.versionId(), "PutObject");
        return response;
      }

      @Override
      public CompleteMultipartUploadResponse completeMultipartUpload(
          MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        created(request.bucket(), request.key(), response.eTag(), response.versionId(), "CompleteMultipartUpload");
        return response;
      }

      @Override
      public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        created(
            request.destinationBucket(),
            request.destinationKey(),
            response.copyObjectResult() == null ? null : response.copyObjectResult().eTag(),
            response.versionId(),
            "CopyObject");
        return response;
      }

      private void created(String bucket, String key, String eTag, String versionId, String reason) {
        if (!eventBridgeBuckets.contains(bucket)) {
          return;
        }
        long size = delegate().blobMetadata(bucket, key).contentLength();
        sink.accept(objectCreated(bucket, key, size, eTag, versionId, reason));
      }
    };
  }

  /** The event body, field for field as S3 sends it to EventBridge. */
  String objectCreated(String bucket, String key, long size, String eTag, String versionId, String reason) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Object Created");
    event.put("source", "aws.s3");
    event.put("account", accountId);
    event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", region);
    event.putArray("resources").add("arn:aws:s3:::" + bucket);
    ObjectNode detail = event.putObject("detail");
    detail.put("version", "0");
    detail.putObject("bucket").put("name", bucket);
    ObjectNode object = detail.putObject("object");
    object.put("key", key);
    object.put("size", size);
    if (eTag != null) {
      object.put("etag", eTag.replace("\"", ""));
    }
    if (versionId != null) {
      object.put("version-id", versionId);
    }
    object.put("sequencer", Long.toHexString(sequencer.incrementAndGet()).toUpperCase(Locale.ROOT));
    detail.put("request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT));
    detail.put("requester", accountId);
    detail.put("source-ip-address", "127.0.0.1");
    detail.put("reason", reason);
    return event.toString();
  }
}
