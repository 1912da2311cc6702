package dev.priorityqueues.contract;

import java.util.regex.Pattern;

/** Object key layout in the upload bucket. */
public final class Keys {
  private Keys() {}

  /**
   * User ids that may become a key prefix: URL-unreserved characters only (so a key reads the
   * same whether or not an event URL-encodes it), starting with a letter or digit (so no
   * {@code .} or {@code ..} segment), and no {@code /} (so nobody escapes their prefix).
   */
  public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]{0,127}");

  /** A key the presign function issues: {@code uploads/<user>/<id>.<ext>}. */
  public static final Pattern UPLOAD_KEY =
      Pattern.compile("uploads/([A-Za-z0-9][A-Za-z0-9._~-]{0,127})/([a-f0-9-]{36})\\.([a-z0-9]{1,8})");

  /** Uploads land under uploads/&lt;user&gt;/&lt;uuid&gt;.&lt;ext&gt;; the router's rule matches this prefix. */
  public static final String UPLOADS_PREFIX = "uploads/";

  /** The worker writes one result object per video under processed/&lt;upload key&gt;.json. */
  public static final String PROCESSED_PREFIX = "processed/";

  public static boolean isSafeUserId(String userId) {
    return userId != null && USER_ID.matcher(userId).matches();
  }

  /** The key for one upload; the user id must be {@link #isSafeUserId safe}. */
  public static String uploadKey(String userId, java.util.UUID id, String extension) {
    if (!isSafeUserId(userId)) {
      throw new ContractException("user id '" + userId + "' cannot be a key prefix; it must match " + USER_ID.pattern());
    }
    return UPLOADS_PREFIX + userId + "/" + id + "." + extension;
  }

  /** The user id in a key the presign function issued, or null for any other key. */
  public static String userOf(String videoKey) {
    var matcher = videoKey == null ? null : UPLOAD_KEY.matcher(videoKey);
    return matcher != null && matcher.matches() ? matcher.group(1) : null;
  }

  /** One file the transcode processor made: processed/&lt;videoKey&gt;/&lt;name&gt;, fixed, so a re-run overwrites. */
  public static String outputKey(String videoKey, String name) {
    return PROCESSED_PREFIX + videoKey + "/" + name;
  }

  public static String resultKey(String videoKey) {
    return PROCESSED_PREFIX + videoKey + ".json";
  }
}
