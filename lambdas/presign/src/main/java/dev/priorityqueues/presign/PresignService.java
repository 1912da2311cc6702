package dev.priorityqueues.presign;

import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.NewUpload;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.common.http.ApiError;
import dev.priorityqueues.common.http.HttpApiHandler;
import dev.priorityqueues.common.http.HttpReply;
import dev.priorityqueues.common.http.HttpRequest;
import dev.priorityqueues.contract.ContentTypes;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Keys;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * {@code POST /uploads}: checks who is asking (the verified JWT subject) and what they want to
 * upload, writes the PENDING_UPLOAD record, and returns a presigned PUT bound to the declared
 * content type and length. Every refusal is an {@link ApiError} with its status.
 */
public final class PresignService implements HttpApiHandler.Service {

  static final String ROUTE_PATH = "/uploads";

  /** {@code If-None-Match: *}: write only if no object has the key. */
  static final String SINGLE_USE = "*";

  private final PresignConfig config;
  private final S3Presigner presigner;
  private final VideoStore videos;
  private final UploadQuotas quotas;
  private final Clock clock;

  PresignService(PresignConfig config, S3Presigner presigner, VideoStore videos, UploadQuotas quotas, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.presigner = Objects.requireNonNull(presigner, "presigner");
    this.videos = Objects.requireNonNull(videos, "videos");
    this.quotas = Objects.requireNonNull(quotas, "quotas");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public HttpReply handle(HttpRequest request, Log log) {
    route(request);
    String user = identity(request.subject());
    // Defence in depth: the route requires these scopes too, but a route misconfigured by hand would not.
    config.requiredScopes().check(request);
    UploadRequest upload = UploadRequest.parse(request.body(), request.base64());
    String extension = checkLimits(upload);

    Instant now = clock.instant();
    String key = Keys.uploadKey(user, UUID.randomUUID(), extension);
    if (!videos.createPending(new NewUpload(
        key, user, upload.fileName(), upload.contentType(), upload.sizeBytes(), now, now.plus(config.pendingTtl())))) {
      // A random UUID collided with an existing key: astronomically unlikely, and never silent.
      throw new IllegalStateException("the new upload key " + key + " exists already");
    }
    // After the record, so a slot is never seen without its video: the quota frees slots by
    // reading their records. Refused, the record goes again; no URL was handed out for it.
    try {
      quotas.admit(user, key, upload.sizeBytes(), now);
    } catch (RuntimeException e) {
      try {
        videos.removePending(key);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    PresignedPutObjectRequest presigned = presign(key, upload.contentType(), upload.sizeBytes());
    log.with("videoKey", key).info("upload presigned",
        "userId", user, "contentType", upload.contentType(), "sizeBytes", upload.sizeBytes(),
        "expiresAt", presigned.expiration());

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key", key);
    body.put("url", presigned.url().toString());
    body.put("method", "PUT");
    body.put("headers", requiredHeaders(presigned));
    body.put("expiresAt", presigned.expiration().toString());
    return HttpReply.of(201, body);
  }

  /** Presigning is pure computation; priming runs it once so the snapshot holds its classes. */
  @Override
  public void prime() {
    presign(Keys.UPLOADS_PREFIX + Keys.PRIME + "/" + new UUID(0, 0) + ".mp4", ContentTypes.MP4, 1);
    UploadRequest.parse("{\"fileName\":\"a.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":1}", false);
    videos.prime();
    quotas.prime();
  }

  /**
   * The URL signs {@code If-None-Match: *} (an S3 conditional write): the first PUT creates the
   * object, and every later PUT through the same URL is refused with 412 PreconditionFailed, so a
   * URL cannot replace bytes that were already checked or are being processed.
   */
  private PresignedPutObjectRequest presign(String key, String contentType, long sizeBytes) {
    return presigner.presignPutObject(p -> p
        .signatureDuration(config.urlExpiry())
        .putObjectRequest(o -> o.bucket(config.bucket()).key(key).contentType(contentType).contentLength(sizeBytes)
            .ifNoneMatch(SINGLE_USE)));
  }

  private static void route(HttpRequest request) {
    String path = request.path() == null ? "" : request.path();
    if (!ROUTE_PATH.equals(path) && !(ROUTE_PATH + "/").equals(path)) {
      throw new ApiError(404, "not_found",
          "there is no " + (path.isEmpty() ? "path" : path) + "; this API serves POST " + ROUTE_PATH);
    }
    if (!"POST".equals(request.method())) {
      throw new ApiError(405, "method_not_allowed",
          (request.method() == null ? "a request without a method" : request.method()) + " is not allowed on "
              + ROUTE_PATH + "; use POST");
    }
  }

  /** The exact subject is the user id; only its folder in the key is escaped (Keys.folderOf). */
  private static String identity(String subject) {
    if (subject == null || subject.isEmpty()) {
      throw new ApiError(401, "unauthorized", "the request carries no verified identity (JWT claim 'sub')");
    }
    try {
      Keys.folderOf(subject);
    } catch (ContractException e) {
      throw new ApiError(403, "forbidden", "the identity cannot upload: " + e.getMessage());
    }
    return subject;
  }

  private String checkLimits(UploadRequest upload) {
    if (!config.contentTypes().contains(upload.contentType())) {
      throw new ApiError(415, "unsupported_media_type",
          "contentType '" + upload.contentType() + "' is not accepted; send one of " + String.join(", ", config.contentTypes()));
    }
    if (upload.sizeBytes() > config.maxBytes()) {
      throw new ApiError(413, "payload_too_large",
          "sizeBytes " + upload.sizeBytes() + " is over the limit of " + config.maxBytes() + " bytes");
    }
    return ContentTypes.extensionFor(upload.contentType()).orElseThrow();
  }

  /** The signed headers the client must send, named as HTTP clients write them; Host is implied. */
  private static Map<String, String> requiredHeaders(PresignedPutObjectRequest presigned) {
    Map<String, String> headers = new LinkedHashMap<>();
    presigned.signedHeaders().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        headers.put(canonical(name), String.join(",", values));
      }
    });
    return headers;
  }

  private static String canonical(String header) {
    StringBuilder out = new StringBuilder(header.length());
    boolean upper = true;
    for (char c : header.toCharArray()) {
      out.append(upper ? Character.toUpperCase(c) : c);
      upper = c == '-';
    }
    return out.toString();
  }
}
