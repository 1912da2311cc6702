package dev.priorityqueues.presign;

import dev.priorityqueues.common.http.ApiError;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /uploads}: {@code {"fileName": "...", "contentType": "...",
 * "sizeBytes": n}}. Parsing checks shape only; limits (allowlist, maximum size) are the
 * service's, so their errors carry 413 and 415 rather than 400.
 */
record UploadRequest(String fileName, String contentType, long sizeBytes) {

  /** Far more than the three fields need; a larger body is not an upload request. */
  static final int MAX_BODY_BYTES = 4096;

  static final int MAX_FILE_NAME = 255;

  private static final Set<String> FIELDS = Set.of("fileName", "contentType", "sizeBytes");

  private static final String WHAT = "request body";

  static UploadRequest parse(String body, boolean base64) {
    if (body == null || body.isBlank()) {
      throw ApiError.badRequest("the request body is empty; send a JSON object with fileName, contentType and sizeBytes");
    }
    String text = base64 ? decode(body) : body;
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
      throw ApiError.badRequest("the request body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject(WHAT, text);
    } catch (ContractException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    for (String field : json.keySet()) {
      if (!FIELDS.contains(field)) {
        throw ApiError.badRequest(WHAT + " has an unknown field '" + field + "'; the fields are fileName, contentType and sizeBytes");
      }
    }
    String fileName = string(json, "fileName");
    if (fileName.length() > MAX_FILE_NAME) {
      throw ApiError.badRequest(WHAT + " field 'fileName' is longer than " + MAX_FILE_NAME + " characters");
    }
    if (fileName.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\')) {
      throw ApiError.badRequest(WHAT + " field 'fileName' must be a plain file name, without path separators or control characters");
    }
    String contentType = string(json, "contentType").trim().toLowerCase(Locale.ROOT);
    return new UploadRequest(fileName, contentType, sizeBytes(json.get("sizeBytes")));
  }

  private static String decode(String body) {
    try {
      return new String(Base64.getDecoder().decode(body.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("the request body is marked base64 but is not valid base64");
    }
  }

  private static String string(Map<String, Object> json, String field) {
    try {
      return Json.string(json, field, WHAT);
    } catch (ContractException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  /** A JSON whole number: a string, a fraction or a huge number is not a size. */
  private static long sizeBytes(Object value) {
    if (value == null) {
      throw ApiError.badRequest(WHAT + " has no 'sizeBytes'");
    }
    long size;
    if (value instanceof Integer || value instanceof Long) {
      size = ((Number) value).longValue();
    } else if (value instanceof BigInteger big) {
      throw ApiError.badRequest(WHAT + " field 'sizeBytes' is " + big + ", far larger than any upload");
    } else if (value instanceof Number) {
      throw ApiError.badRequest(WHAT + " field 'sizeBytes' must be a whole number of bytes, not " + value);
    } else {
      throw ApiError.badRequest(WHAT + " field 'sizeBytes' must be a number, not " + Json.kind(value));
    }
    if (size <= 0) {
      throw ApiError.badRequest(WHAT + " field 'sizeBytes' must be at least 1, not " + size);
    }
    return size;
  }
}
