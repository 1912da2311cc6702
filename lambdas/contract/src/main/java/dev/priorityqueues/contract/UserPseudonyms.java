package dev.priorityqueues.contract;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The user ids in the functions' logs: with {@code logUserIds: hashed} (the default) every user
 * id a log line holds, in a {@code userId} field or as the folder of an object key
 * ({@code uploads/<folder>/…}, which spells the id out), is written as a pseudonym, {@code ~}
 * and 16 base64url characters (96 bits) of HMAC-SHA256 of the id, keyed with a per-stack value
 * (the videos table's name, unique per stack). The same user reads the same within a stack, so
 * a user's lines can still be followed, and differently in another stack; {@link #of} gives an
 * operator the pseudonym to search for. It is pseudonymisation, not secrecy: whoever can read
 * the function's configuration and guess an id can compute it.
 */
public final class UserPseudonyms {

  /** {@code logUserIds}. */
  public enum Mode {
    HASHED("hashed"),
    PLAIN("plain");

    public static final Mode DEFAULT = HASHED;

    private final String id;

    Mode(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static List<String> ids() {
      return Arrays.stream(values()).map(Mode::id).toList();
    }

    public static Mode parse(String name, String text) {
      return Arrays.stream(values()).filter(m -> m.id.equals(text)).findFirst().orElseThrow(() ->
          new ContractException(name + " must be one of " + ids() + ", not '" + text + "'"));
    }
  }

  /** A pseudonym starts with a character no key folder and no escaped id contains. */
  public static final String PREFIX = "~";
  private static final int CHARS = 16;
  /** An object key's folder wherever it appears: uploads/, processed/uploads/, quarantine/uploads/. */
  private static final Pattern FOLDER = Pattern.compile(Pattern.quote(Keys.UPLOADS_PREFIX) + "([A-Za-z0-9._-]{1,"
      + Keys.MAX_FOLDER_CHARS + "})/");

  private final SecretKeySpec key;

  /** {@code stackSecret}: a value unique to the stack (the videos table's name). */
  public UserPseudonyms(String stackSecret) {
    byte[] bytes = ("priority-queues/log-user-ids/" + stackSecret).getBytes(StandardCharsets.UTF_8);
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  /** The pseudonym of one user id. */
  public String of(String userId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, CHARS);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * {@code text} with every key folder replaced by its user's pseudonym; a folder that is not a
   * canonical encoding is hashed as it is.
   */
  public String inKeys(String text) {
    if (text.indexOf(Keys.UPLOADS_PREFIX) < 0) {
      return text;
    }
    Matcher m = FOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String folder = m.group(1);
      String user = Keys.subjectOf(folder);
      if (user == null) {
        user = folder;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(Keys.UPLOADS_PREFIX + of(user) + "/"));
    }
    m.appendTail(out);
    return out.toString();
  }
}
