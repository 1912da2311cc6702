package dev.priorityqueues.contract;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object key layout in the upload bucket: {@code uploads/<folder>/<uuid>.<ext>}, where the folder
 * is the uploader's JWT subject escaped by {@link #folderOf} (docs/design.md, "Keys").
 */
public final class Keys {
  private Keys() {}

  /** The escape character of {@link #folderOf}; it is escaped itself, so decoding is unambiguous. */
  private static final char ESCAPE = '_';

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** The longest folder: every byte of the longest subject escaped as three characters. */
  public static final int MAX_FOLDER_CHARS = 3 * UploadLimits.MAX_SUBJECT_BYTES;

  /** A key the presign function issues: {@code uploads/<folder>/<id>.<ext>}. */
  public static final Pattern UPLOAD_KEY = Pattern.compile(
      "uploads/([A-Za-z0-9._-]{1," + MAX_FOLDER_CHARS + "})/([a-f0-9-]{36})\\.([a-z0-9]{1,8})");

  /** Uploads land under uploads/&lt;folder&gt;/&lt;uuid&gt;.&lt;ext&gt;; the router's rule matches this prefix. */
  public static final String UPLOADS_PREFIX = "uploads/";

  /**
   * The name SnapStart priming reads, presigns and writes under ({@code uploads/~prime},
   * {@code processed/~prime}, user {@code ~prime}): no upload folder may hold a {@code ~}
   * ({@link #UPLOAD_KEY}), so priming never touches a real video's objects or records.
   */
  public static final String PRIME = "~prime";

  /** The worker writes one result object per video under processed/&lt;upload key&gt;.json. */
  public static final String PROCESSED_PREFIX = "processed/";

  /** The video key priming reads: shaped like an upload's, held by none. */
  public static final String PRIME_VIDEO_KEY = UPLOADS_PREFIX + PRIME;
  /** The result key priming presigns and completes uploads under: written by no job. */
  public static final String PRIME_PROCESSED_KEY = PROCESSED_PREFIX + PRIME;

  /**
   * Where {@code rejectedInputs: quarantine} moves an upload that will never be processed: the
   * upload's key under this prefix (at most 830 bytes, within S3's 1,024).
   */
  public static final String QUARANTINE_PREFIX = "quarantine/";

  /** SQS's MessageGroupId: at most 128 characters (the folder's are all allowed ones). */
  private static final int MAX_GROUP_ID_CHARS = 128;

  /**
   * The upload folder of a JWT subject (any non-empty, well-formed string of at most
   * {@link UploadLimits#MAX_SUBJECT_BYTES} UTF-8 bytes). Each UTF-8 byte stays as it is if it is an
   * ASCII letter, digit, {@code -} or {@code .} (but not a leading {@code .}), and otherwise
   * becomes {@code _} and two upper-case hex digits. So the folder holds only characters no URL
   * encoder changes (a key reads the same in any event), never {@code /}, never starts with
   * {@code .} (so it is never {@code .} or {@code ..}), and two subjects never share a folder
   * ({@link #subjectOf} inverts it).
   *
   * @throws ContractException naming what is wrong with a subject that cannot upload
   */
  public static String folderOf(String subject) {
    byte[] bytes = utf8(subject);
    StringBuilder folder = new StringBuilder(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      if (isPlain(b) && !(i == 0 && b == '.')) {
        folder.append((char) b);
      } else {
        folder.append(ESCAPE).append(HEX[b >> 4]).append(HEX[b & 0xF]);
      }
    }
    return folder.toString();
  }

  /** The subject whose folder this is, or null if {@link #folderOf} never makes it. */
  public static String subjectOf(String folder) {
    if (folder == null || folder.isEmpty() || folder.length() > MAX_FOLDER_CHARS) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(folder.length());
    for (int i = 0; i < folder.length(); i++) {
      char c = folder.charAt(i);
      if (c == ESCAPE) {
        int high = i + 2 < folder.length() ? hexValue(folder.charAt(i + 1)) : -1;
        int low = high < 0 ? -1 : hexValue(folder.charAt(i + 2));
        if (low < 0) {
          return null;
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80 && isPlain(c)) {
        bytes.write(c);
      } else {
        return null;
      }
    }
    String subject;
    try {
      subject = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    // Only the canonical spelling counts (upper-case hex, plain bytes unescaped), so a folder
    // names one subject and a subject one folder.
    return folder.equals(folderOrNull(subject)) ? subject : null;
  }

  /** The key for one upload of {@code userId} (the exact JWT subject). */
  public static String uploadKey(String userId, UUID id, String extension) {
    return UPLOADS_PREFIX + folderOf(userId) + "/" + id + "." + extension;
  }

  /** The user id (exact subject) in a key the presign function issued, or null for any other key. */
  public static String userOf(String videoKey) {
    Matcher matcher = videoKey == null ? null : UPLOAD_KEY.matcher(videoKey);
    return matcher != null && matcher.matches() ? subjectOf(matcher.group(1)) : null;
  }

  /** One file the transcode processor made: processed/&lt;videoKey&gt;/&lt;name&gt;, fixed, so a re-run overwrites. */
  public static String outputKey(String videoKey, String name) {
    return PROCESSED_PREFIX + videoKey + "/" + name;
  }

  public static String quarantineKey(String videoKey) {
    return QUARANTINE_PREFIX + videoKey;
  }

  public static String resultKey(String videoKey) {
    return PROCESSED_PREFIX + videoKey + ".json";
  }

  /**
   * The uploader's SQS {@code MessageGroupId} (the fair-queue tenant). SQS allows 1-128 ASCII
   * letters, digits and punctuation, which a subject need not be: the folder when it fits (it is
   * made of allowed characters and is one per user), else {@code #} and the base64url SHA-256 of
   * the subject (44 characters; no folder contains {@code #}).
   */
  public static String messageGroupOf(String userId) {
    String folder = folderOf(userId);
    if (folder.length() <= MAX_GROUP_ID_CHARS) {
      return folder;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
      return "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String folderOrNull(String subject) {
    try {
      return folderOf(subject);
    } catch (ContractException e) {
      return null;
    }
  }

  /** The subject's bytes, strictly: a lone surrogate would otherwise become '?' and two subjects one folder. */
  private static byte[] utf8(String subject) {
    if (subject == null || subject.isEmpty()) {
      throw new ContractException("the subject is empty");
    }
    ByteBuffer encoded;
    try {
      encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(subject));
    } catch (CharacterCodingException e) {
      throw new ContractException("the subject is not well-formed Unicode (it holds a lone surrogate)");
    }
    if (encoded.remaining() > UploadLimits.MAX_SUBJECT_BYTES) {
      throw new ContractException("the subject is " + encoded.remaining() + " bytes long in UTF-8; at most "
          + UploadLimits.MAX_SUBJECT_BYTES + " are allowed");
    }
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    return bytes;
  }

  private static boolean isPlain(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }
}
