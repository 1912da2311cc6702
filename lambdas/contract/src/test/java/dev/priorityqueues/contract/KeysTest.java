package dev.priorityqueues.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeysTest {

  private static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

  @Test
  void buildsAndReadsUploadKeys() {
    String key = Keys.uploadKey("user-1", ID, "mp4");
    assertThat(key).isEqualTo("uploads/user-1/0f8fad5b-d9cb-469f-a165-70867728950e.mp4");
    assertThat(Keys.userOf(key)).isEqualTo("user-1");
    assertThat(Keys.userOf("uploads/user-1/anything.mp4")).isNull();
    assertThat(Keys.resultKey(key)).isEqualTo("processed/" + key + ".json");
  }

  /** Every subject gets a folder of URL-safe characters from which the exact subject comes back. */
  @ParameterizedTest
  @CsvSource(delimiter = '\t', quoteCharacter = '\u0000', textBlock = """
      0f8fad5b-d9cb-469f-a165-70867728950e	0f8fad5b-d9cb-469f-a165-70867728950e
      auth0|5f7c8ec7c33c6c004bbafe82	auth0_7C5f7c8ec7c33c6c004bbafe82
      google-oauth2|104812345678901234567	google-oauth2_7C104812345678901234567
      samlp|corp|jane.doe@example.com	samlp_7Ccorp_7Cjane.doe_40example.com
      AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSa_Hy782bbtaQ	AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSa_5FHy782bbtaQ
      .	_2E
      ..	_2E.
      ../admin	_2E._2Fadmin
      a/b	a_2Fb
      a b+c%2F~	a_20b_2Bc_252F_7E
      élise	_C3_A9lise
      用户	_E7_94_A8_E6_88_B7
      😀	_F0_9F_98_80
      """)
  void escapesEverySubjectIntoASafeFolderAndBack(String subject, String folder) {
    assertThat(Keys.folderOf(subject)).isEqualTo(folder).matches("[A-Za-z0-9._-]+").doesNotStartWith(".");
    assertThat(Keys.subjectOf(folder)).isEqualTo(subject);
    String key = Keys.uploadKey(subject, ID, "mp4");
    assertThat(key).isEqualTo("uploads/" + folder + "/" + ID + ".mp4");
    assertThat(Keys.userOf(key)).isEqualTo(subject);
    // A URL encoder (S3 encodes keys in its event notifications) leaves the key as it is.
    assertThat(java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8).replace("%2F", "/"))
        .isEqualTo(key);
  }

  @Test
  void theLongestSubjectKeepsBothItsKeysWithinS3sLimit() {
    String longest = "|".repeat(UploadLimits.MAX_SUBJECT_BYTES);
    String key = Keys.uploadKey(longest, ID, "12345678");
    assertThat(Keys.folderOf(longest)).hasSize(Keys.MAX_FOLDER_CHARS);
    assertThat(Keys.userOf(key)).isEqualTo(longest);
    assertThat(Keys.resultKey(key).getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
    String unicode = "€".repeat(UploadLimits.MAX_SUBJECT_BYTES / 3);
    assertThat(Keys.userOf(Keys.uploadKey(unicode, ID, "mp4"))).isEqualTo(unicode);
  }

  @Test
  void refusesSubjectsThatCannotUploadWithTheReason() {
    assertThatThrownBy(() -> Keys.folderOf("a".repeat(UploadLimits.MAX_SUBJECT_BYTES + 1)))
        .isInstanceOf(ContractException.class)
        .hasMessage("the subject is 256 bytes long in UTF-8; at most 255 are allowed");
    assertThatThrownBy(() -> Keys.folderOf("é".repeat(128)))
        .hasMessage("the subject is 256 bytes long in UTF-8; at most 255 are allowed");
    assertThatThrownBy(() -> Keys.folderOf("")).hasMessage("the subject is empty");
    assertThatThrownBy(() -> Keys.folderOf(null)).hasMessage("the subject is empty");
    assertThatThrownBy(() -> Keys.folderOf("a\ud800b"))
        .hasMessage("the subject is not well-formed Unicode (it holds a lone surrogate)");
  }

  /** Only folders the escaping makes decode, so a key names one user and a user one folder. */
  @ParameterizedTest
  @ValueSource(strings = {"", "_", "_4", "_7c", "_41", "_2", ".", "..", ".a", "a/b", "a~b", "a_ZZ", "_C3", "_FF",
      "_C0_AF", "ä"})
  void decodesOnlyCanonicalFolders(String folder) {
    assertThat(Keys.subjectOf(folder)).isNull();
    assertThat(Keys.userOf("uploads/" + folder + "/" + ID + ".mp4")).isNull();
  }

  @Test
  void subjectsThatDifferOnlyInEscapingGetDifferentFolders() {
    List<String> subjects = List.of("a_7Cb", "a|b", "a_5F7Cb", ".a", "_2Ea", "a.", "A|b", "a%7Cb");
    assertThat(subjects.stream().map(Keys::folderOf).distinct()).hasSize(subjects.size());
  }

  @Test
  void messageGroupsFitSqsAndStayOnePerUser() {
    assertThat(Keys.messageGroupOf("alice")).isEqualTo("alice");
    assertThat(Keys.messageGroupOf("auth0|5f7c8ec7c33c6c004bbafe82")).isEqualTo("auth0_7C5f7c8ec7c33c6c004bbafe82");
    String longOne = "用".repeat(40);
    String group = Keys.messageGroupOf(longOne);
    assertThat(group).startsWith("#").hasSize(44).matches("[\\x21-\\x7E]{1,128}");
    assertThat(Keys.messageGroupOf(longOne + "x")).isNotEqualTo(group);
    assertThat(Keys.messageGroupOf("a".repeat(128))).isEqualTo("a".repeat(128));
    assertThat(Keys.messageGroupOf("a".repeat(129))).startsWith("#");
  }

  @Test
  void contentTypesMapToExtensionsAndAllowlistsAreChecked() {
    assertThat(ContentTypes.extensionFor(" Video/QuickTime ")).hasValue("mov");
    assertThat(ContentTypes.extensionFor("video/x-msvideo")).isEmpty();
    assertThat(ContentTypes.requireKnown(List.of("VIDEO/MP4", "video/webm"), "PQ_UPLOAD_CONTENT_TYPES"))
        .containsExactly("video/mp4", "video/webm");
    assertThatThrownBy(() -> ContentTypes.requireKnown(List.of("image/png"), "PQ_UPLOAD_CONTENT_TYPES"))
        .hasMessage("PQ_UPLOAD_CONTENT_TYPES lists 'image/png', which is not a known video type; known types are "
            + "[video/mp4, video/quicktime, video/webm]");
    assertThatThrownBy(() -> ContentTypes.requireKnown(List.of(), "X")).hasMessageContaining("lists no content types");
  }
}
