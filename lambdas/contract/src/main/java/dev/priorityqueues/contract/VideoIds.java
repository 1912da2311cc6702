package dev.priorityqueues.contract;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The id a client uses for one video in the status API: the record's key, base64url-encoded
 * without padding, so it fits one path segment whatever the key's folder encoding is. It names a
 * record, and grants nothing: the status function answers only for the caller's own records.
 */
public final class VideoIds {
  private VideoIds() {}

  /** Keys are at most a few hundred characters; DynamoDB's key limit is 2048 bytes. */
  public static final int MAX_ID_LENGTH = 600;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ID_LENGTH + "}");

  public static String of(String videoKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(videoKey.getBytes(StandardCharsets.UTF_8));
  }

  /** The key an id names, or empty when the id is not one this API issues. */
  public static Optional<String> keyOf(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(id);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String key = new String(bytes, StandardCharsets.UTF_8);
    // Round-tripping rejects invalid UTF-8 and non-canonical encodings (two ids for one key).
    if (!key.startsWith(Keys.UPLOADS_PREFIX) || !of(key).equals(id)
        || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.empty();
    }
    return Optional.of(key);
  }
}
