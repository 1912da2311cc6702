package dev.priorityqueues.status;

import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.http.ApiError;
import dev.priorityqueues.common.http.HttpApiHandler;
import dev.priorityqueues.common.http.HttpReply;
import dev.priorityqueues.common.http.HttpRequest;
import dev.priorityqueues.common.http.RequiredScopes;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.contract.VideoIds;
import dev.priorityqueues.contract.VideoStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@code GET /uploads/{videoId}} and {@code GET /uploads}: what became of the caller's uploads.
 * A user sees only records whose {@code userId} is their verified subject; anyone else's video
 * answers 404 like a missing one. Once a video is DONE its outputs come with presigned GET URLs
 * that expire after {@link #OUTPUT_URL_EXPIRY}. Reads only: one GetItem or one Query a request.
 */
public final class StatusService implements HttpApiHandler.Service {

  static final String ROUTE_PATH = "/uploads";
  /** Long enough to start a download or show a thumbnail, short enough that a leaked URL dies soon. */
  static final Duration OUTPUT_URL_EXPIRY = Duration.ofMinutes(5);
  static final int DEFAULT_PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 50;
  /** JWT subjects are short; a DynamoDB key value must stay under 2048 bytes. */
  static final int MAX_SUBJECT_LENGTH = 1024;

  private final String table;
  private final String bucket;
  private final RequiredScopes requiredScopes;
  private final DynamoDbClient dynamoDb;
  private final S3Presigner presigner;
  private final Clock clock;

  StatusService(String table, String bucket, RequiredScopes requiredScopes, DynamoDbClient dynamoDb, S3Presigner presigner,
      Clock clock) {
    this.table = Objects.requireNonNull(table, "table");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.requiredScopes = Objects.requireNonNull(requiredScopes, "requiredScopes");
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.presigner = Objects.requireNonNull(presigner, "presigner");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public HttpReply handle(HttpRequest request, Log log) {
    String path = request.path() == null ? "" : request.path();
    boolean list = ROUTE_PATH.equals(path) || (ROUTE_PATH + "/").equals(path);
    boolean one = !list && path.startsWith(ROUTE_PATH + "/") && path.indexOf('/', ROUTE_PATH.length() + 1) < 0;
    if (!list && !one) {
      throw new ApiError(404, "not_found", "there is no " + (path.isEmpty() ? "path" : path)
          + "; this function serves GET " + ROUTE_PATH + " and GET " + ROUTE_PATH + "/{videoId}");
    }
    if (!"GET".equals(request.method())) {
      throw new ApiError(405, "method_not_allowed", (request.method() == null ? "a request without a method"
          : request.method()) + " is not allowed here; use GET");
    }
    String user = identity(request.subject());
    // Defence in depth: the routes require these scopes too, but a route misconfigured by hand would not.
    requiredScopes.check(request);
    return list ? list(user, request.query(), log) : one(user, path.substring(ROUTE_PATH.length() + 1), log);
  }

  /** One real read and one presign, so a SnapStart snapshot holds warmed-up clients. */
  @Override
  public void prime() {
    dynamoDb.getItem(b -> b.tableName(table).key(Map.of(Videos.KEY, AttributeValue.fromS(Keys.PRIME_VIDEO_KEY))));
    presign(Keys.PRIME_PROCESSED_KEY);
  }

  private HttpReply one(String user, String videoId, Log log) {
    String key = VideoIds.keyOf(videoId).orElseThrow(() -> ApiError.badRequest(
        "'" + shorten(videoId) + "' is not a video id; use the videoId that GET " + ROUTE_PATH + " returns"));
    Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
        .key(Map.of(Videos.KEY, AttributeValue.fromS(key))).consistentRead(true)).item();
    if (item == null || item.isEmpty() || !item.containsKey(Videos.USER_ID) || !user.equals(item.get(Videos.USER_ID).s())) {
      throw notFound(videoId);
    }
    Map<String, Object> body = view(item);
    if (VideoStatus.DONE.name().equals(string(item, Videos.STATUS))) {
      body.put("outputs", outputs(item, log.with("videoKey", key)));
    }
    return HttpReply.of(200, body);
  }

  private HttpReply list(String user, Map<String, String> query, Log log) {
    for (String name : query.keySet()) {
      if (!name.equals("limit") && !name.equals("next")) {
        throw ApiError.badRequest("unknown query parameter '" + shorten(name) + "'; the parameters are limit and next");
      }
    }
    int limit = limit(query.get("limit"));
    String next = query.get("next");
    QueryRequest.Builder request = QueryRequest.builder()
        .tableName(table)
        .indexName(Videos.BY_USER_INDEX)
        .keyConditionExpression("#user = :user")
        .expressionAttributeNames(Map.of("#user", Videos.USER_ID))
        .expressionAttributeValues(Map.of(":user", AttributeValue.fromS(user)))
        .scanIndexForward(false)
        .limit(limit);
    if (next != null) {
      request.exclusiveStartKey(PageToken.decode(next, user).startKey());
    }
    QueryResponse response = dynamoDb.query(request.build());
    List<Map<String, Object>> videos = new ArrayList<>();
    for (Map<String, AttributeValue> item : response.items()) {
      videos.add(view(item));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("videos", videos);
    if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
      body.put("next", PageToken.from(response.lastEvaluatedKey()).encode());
    }
    log.debug("videos listed", "count", videos.size());
    return HttpReply.of(200, body);
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_PAGE_SIZE;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_PAGE_SIZE) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiError.badRequest("limit must be a whole number from 1 to " + MAX_PAGE_SIZE + ", not '" + shorten(text) + "'");
  }

  /** What a client may see of a record: no internal ids, leases or event ids. */
  private Map<String, Object> view(Map<String, AttributeValue> item) {
    Map<String, Object> view = new LinkedHashMap<>();
    String key = string(item, Videos.KEY);
    view.put("videoId", VideoIds.of(key));
    view.put("key", key);
    view.put("fileName", string(item, Videos.FILE_NAME));
    view.put("contentType", string(item, Videos.CONTENT_TYPE));
    view.put("status", string(item, Videos.STATUS));
    view.put("tier", string(item, Videos.TIER));
    view.put("declaredBytes", number(item, Videos.DECLARED_BYTES));
    view.put("uploadedBytes", number(item, Videos.UPLOADED_BYTES));
    view.put("createdAt", time(item, Videos.CREATED_AT));
    view.put("queuedAt", time(item, Videos.QUEUED_AT));
    view.put("startedAt", time(item, Videos.STARTED_AT));
    view.put("finishedAt", time(item, Videos.FINISHED_AT));
    view.put("queueWaitMillis", number(item, Videos.QUEUE_WAIT_MILLIS));
    Long queuedAt = number(item, Videos.QUEUED_AT);
    if (VideoStatus.QUEUED.name().equals(string(item, Videos.STATUS)) && queuedAt != null) {
      // Still waiting: how long so far, so a client can watch the wait grow.
      view.put("waitingMillis", Math.max(0, clock.millis() - queuedAt));
    }
    view.put("attempts", number(item, Videos.ATTEMPTS));
    view.put("reason", string(item, Videos.REASON));
    view.values().removeIf(Objects::isNull);
    return view;
  }

  /**
   * Every entry of {@code outputs} with a GET URL; without {@code outputs}, the one result
   * object. An entry outside processed/ is left out and logged: the function may read nothing
   * else, so its URL could only fail.
   */
  private List<Map<String, Object>> outputs(Map<String, AttributeValue> item, Log log) {
    List<Map<String, Object>> outputs = new ArrayList<>();
    AttributeValue list = item.get(Videos.OUTPUTS);
    if (list != null && list.hasL()) {
      for (AttributeValue entry : list.l()) {
        Map<String, AttributeValue> m = entry.hasM() ? entry.m() : Map.of();
        String key = string(m, "key");
        if (key == null || !key.startsWith(Keys.PROCESSED_PREFIX)) {
          log.warn("output left out: its key is not under " + Keys.PROCESSED_PREFIX, "output", entry.toString());
          continue;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", string(m, "kind"));
        out.put("name", string(m, "name"));
        out.put("bytes", number(m, "bytes"));
        out.put("width", number(m, "width"));
        out.put("height", number(m, "height"));
        out.put("durationMillis", number(m, "durationMillis"));
        out.put("url", presign(key));
        out.values().removeIf(Objects::isNull);
        outputs.add(out);
      }
      return outputs;
    }
    String result = string(item, Videos.RESULT_KEY);
    if (result != null && result.startsWith(Keys.PROCESSED_PREFIX)) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("kind", "result");
      out.put("name", result.substring(result.lastIndexOf('/') + 1));
      out.put("url", presign(result));
      outputs.add(out);
    }
    return outputs;
  }

  private String presign(String key) {
    return presigner.presignGetObject(p -> p.signatureDuration(OUTPUT_URL_EXPIRY)
        .getObjectRequest(o -> o.bucket(bucket).key(key))).url().toString();
  }

  /** Someone else's video and a video that does not exist answer alike, so ids leak nothing. */
  private static ApiError notFound(String videoId) {
    return new ApiError(404, "not_found", "there is no video '" + videoId + "' among your uploads");
  }

  private static String identity(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new ApiError(401, "unauthorized", "the request carries no verified identity (JWT claim 'sub')");
    }
    if (subject.length() > MAX_SUBJECT_LENGTH) {
      throw new ApiError(403, "forbidden", "the identity's subject is longer than " + MAX_SUBJECT_LENGTH + " characters");
    }
    return subject;
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  private static Long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    if (value == null || value.n() == null) {
      return null;
    }
    try {
      return Long.parseLong(value.n());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String time(Map<String, AttributeValue> item, String name) {
    Long millis = number(item, name);
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}
