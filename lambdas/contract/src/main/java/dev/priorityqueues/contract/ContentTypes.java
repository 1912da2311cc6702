package dev.priorityqueues.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The video content types the system knows, each with the file extension its upload keys use.
 * {@link FunctionEnv#UPLOAD_CONTENT_TYPES} may list only these; presign rejects others with 415.
 */
public final class ContentTypes {
  private ContentTypes() {}

  public static final String MP4 = "video/mp4";
  public static final String QUICKTIME = "video/quicktime";
  public static final String WEBM = "video/webm";

  private static final Map<String, String> EXTENSIONS = new LinkedHashMap<>();

  static {
    EXTENSIONS.put(MP4, "mp4");
    EXTENSIONS.put(QUICKTIME, "mov");
    EXTENSIONS.put(WEBM, "webm");
  }

  /** Every known type, in a stable order; also the default allowlist. */
  public static List<String> known() {
    return List.copyOf(EXTENSIONS.keySet());
  }

  /** The extension for a known type (compared case-insensitively), or empty. */
  public static Optional<String> extensionFor(String contentType) {
    return contentType == null
        ? Optional.empty()
        : Optional.ofNullable(EXTENSIONS.get(contentType.trim().toLowerCase(Locale.ROOT)));
  }

  /**
   * Validates an allowlist the program is about to deploy: every entry must be a known type.
   *
   * @return the entries, normalised to lower case
   */
  public static List<String> requireKnown(List<String> allowlist, String what) {
    if (allowlist.isEmpty()) {
      throw new ContractException(what + " lists no content types; known types are " + known());
    }
    return allowlist.stream()
        .map(type -> {
          if (extensionFor(type).isEmpty()) {
            throw new ContractException(
                what + " lists '" + type + "', which is not a known video type; known types are " + known());
          }
          return type.trim().toLowerCase(Locale.ROOT);
        })
        .toList();
  }
}
