package dev.priorityqueues.status;

import dev.priorityqueues.common.http.ApiError;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables.Videos;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where the next page of a user's list starts: DynamoDB's LastEvaluatedKey of the user index
 * (user, createdAt, videoKey), as base64url JSON. It is bound to the user it was issued to: a
 * token naming another user is refused, and the start key's user is always the caller's, so an
 * edited token can only move within the caller's own list. Every field is checked, so a forged
 * one gets a 400 and never reaches DynamoDB as a malformed key.
 */
record PageToken(String userId, long createdAt, String videoKey) {

  /** A token holds a user id (≤ 1 KB here) and a key; anything longer was not issued here. */
  static final int MAX_LENGTH = 4096;

  private static final Set<String> FIELDS = Set.of("u", "c", "k");

  static PageToken from(Map<String, AttributeValue> lastEvaluatedKey) {
    return new PageToken(lastEvaluatedKey.get(Videos.USER_ID).s(),
        Long.parseLong(lastEvaluatedKey.get(Videos.CREATED_AT).n()), lastEvaluatedKey.get(Videos.KEY).s());
  }

  String encode() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("u", userId);
    json.put("c", createdAt);
    json.put("k", videoKey);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
  }

  /** The token the caller sent, checked and bound to {@code caller}. */
  static PageToken decode(String token, String caller) {
    if (token.isEmpty() || token.length() > MAX_LENGTH || !token.matches("[A-Za-z0-9_-]+")) {
      throw invalid();
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject("page token", new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) { // bad base64, and ContractException for bad JSON
      throw invalid();
    }
    if (!FIELDS.equals(json.keySet()) || !(json.get("u") instanceof String user) || !(json.get("k") instanceof String key)
        || !(json.get("c") instanceof Number created) || !(created instanceof Integer || created instanceof Long)
        || created.longValue() < 0) {
      throw invalid();
    }
    if (!user.equals(caller)) {
      throw ApiError.badRequest("the page token was issued for another user's list; start again without 'next'");
    }
    if (!key.startsWith(Keys.UPLOADS_PREFIX) || key.length() > 1024) {
      throw invalid();
    }
    return new PageToken(user, created.longValue(), key);
  }

  Map<String, AttributeValue> startKey() {
    return Map.of(
        Videos.USER_ID, AttributeValue.fromS(userId),
        Videos.CREATED_AT, AttributeValue.fromN(Long.toString(createdAt)),
        Videos.KEY, AttributeValue.fromS(videoKey));
  }

  private static ApiError invalid() {
    return ApiError.badRequest("the page token is not one this API issued; pass 'next' exactly as a previous page returned it");
  }
}
