package dev.priorityqueues.contract;

/** Object key layout in the upload bucket. */
public final class Keys {
  private Keys() {}

  /** Uploads land under uploads/&lt;user&gt;/&lt;uuid&gt;.&lt;ext&gt;; the router's rule matches this prefix. */
  public static final String UPLOADS_PREFIX = "uploads/";

  /** The worker writes one result object per video under processed/&lt;upload key&gt;.json. */
  public static final String PROCESSED_PREFIX = "processed/";

  public static String resultKey(String videoKey) {
    return PROCESSED_PREFIX + videoKey + ".json";
  }
}
