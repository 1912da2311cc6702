package dev.priorityqueues.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserPseudonymsTest {

  private final UserPseudonyms stack = new UserPseudonyms("videos-a1b2c3d");

  @Test
  void aUserReadsTheSameWithinAStackAndDifferentlyInAnother() {
    String alice = stack.of("alice");
    assertThat(alice).matches("~[A-Za-z0-9_-]{16}").isEqualTo(stack.of("alice")).isNotEqualTo(stack.of("alicf"));
    assertThat(new UserPseudonyms("videos-z9y8x7w").of("alice")).isNotEqualTo(alice);
  }

  @Test
  void everyKeyFolderBecomesItsUsersPseudonymWhereverTheKeyAppears() {
    String subject = "samlp|corp|jane.doe@example.com";
    String key = Keys.uploadKey(subject, UUID.fromString("00000000-0000-0000-0000-000000000001"), "mp4");
    String text = "the object " + key + " no longer exists; outputs under " + Keys.outputKey(key, "720.mp4")
        + ", moved to " + Keys.quarantineKey(key);

    String hashed = stack.inKeys(text);

    String folder = Keys.folderOf(subject);
    assertThat(hashed).doesNotContain(folder).doesNotContain("jane.doe")
        .contains("uploads/" + stack.of(subject) + "/00000000-0000-0000-0000-000000000001.mp4")
        .contains("processed/uploads/" + stack.of(subject) + "/")
        .contains("quarantine/uploads/" + stack.of(subject) + "/");
    assertThat(stack.inKeys("no key here")).isEqualTo("no key here");
  }

  @Test
  void theModeComesFromTheEnvironmentAndIsHashedWhenUnset() {
    assertThat(PrivacyEnv.logUserIds(new EnvReader(Map.of()))).isEqualTo(UserPseudonyms.Mode.HASHED);
    assertThat(PrivacyEnv.logUserIds(new EnvReader(Map.of(FunctionEnv.PRIVACY, "90,delete,plain"))))
        .isEqualTo(UserPseudonyms.Mode.PLAIN);
    assertThatThrownBy(() -> PrivacyEnv.logUserIds(new EnvReader(Map.of(FunctionEnv.PRIVACY, "90,delete,clear"))))
        .hasMessage("PQ_PRIVACY's log user ids must be one of [hashed, plain], not 'clear'");
  }
}
