package dev.priorityqueues.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
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

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "../x", "a/b", "a b", "a+b", "a%2Fb", "ä", "-lead"})
  void refusesUserIdsThatCouldEscapeOrChangeTheirPrefix(String userId) {
    assertThat(Keys.isSafeUserId(userId)).isFalse();
    assertThatThrownBy(() -> Keys.uploadKey(userId, ID, "mp4")).isInstanceOf(ContractException.class);
  }

  @Test
  void acceptsCommonSubjectFormats() {
    assertThat(Keys.isSafeUserId("0f8fad5b-d9cb-469f-a165-70867728950e")).isTrue();
    assertThat(Keys.isSafeUserId("google-oauth2.1234567890")).isTrue();
    assertThat(Keys.isSafeUserId("a".repeat(128))).isTrue();
    assertThat(Keys.isSafeUserId("a".repeat(129))).isFalse();
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
