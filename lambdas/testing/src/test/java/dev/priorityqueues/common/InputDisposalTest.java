package dev.priorityqueues.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.common.InputDisposal.Disposition;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.RejectedInputs;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Deleting and quarantining an upload on S3Proxy, with versioning on as the program makes the bucket. */
class InputDisposalTest {

  private static TestStack stack;

  @BeforeAll
  static void bucket() {
    stack = TestStack.create("disposal");
  }

  private static String upload(String key, String content) {
    return TestStack.s3().putObject(b -> b.bucket(stack.bucket()).key(key), RequestBody.fromString(content)).versionId();
  }

  private static ListObjectVersionsResponse versions(String key) {
    return TestStack.s3().listObjectVersions(b -> b.bucket(stack.bucket()).prefix(key));
  }

  private static InputDisposal disposal(RejectedInputs mode) {
    return new InputDisposal(TestStack::s3, stack.bucket(), mode);
  }

  @Test
  void deleteRemovesTheAdmittedVersionForGoodNotBehindADeleteMarker() {
    String key = Keys.uploadKey("u", UUID.randomUUID(), "mp4");
    String version = upload(key, "not a video");

    InputDisposal.Result result = disposal(RejectedInputs.DELETE).dispose(key, version, false);

    assertThat(result).isEqualTo(new InputDisposal.Result(Disposition.DELETED, null));
    assertThat(versions(key).versions()).isEmpty();
    assertThat(versions(key).deleteMarkers()).isEmpty();
    // A repeat finds nothing to delete and succeeds: S3 answers 204 (DELETED), S3Proxy 404
    // NoSuchVersion (GONE); either way nothing is left and nothing throws.
    assertThat(disposal(RejectedInputs.DELETE).dispose(key, version, true).disposition())
        .isIn(Disposition.DELETED, Disposition.GONE);
  }

  @Test
  void quarantineMovesTheAdmittedVersionAndARepeatFindsItGone() {
    String key = Keys.uploadKey("u", UUID.randomUUID(), "mp4");
    String admitted = upload(key, "admitted bytes");
    String later = upload(key, "written later, outside the URL");

    InputDisposal.Result result = disposal(RejectedInputs.QUARANTINE).dispose(key, admitted, false);

    assertThat(result).isEqualTo(new InputDisposal.Result(Disposition.QUARANTINED, "quarantine/" + key));
    assertThat(TestStack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key("quarantine/" + key)).asUtf8String())
        .as("the version the pipeline admitted, not the current one").isEqualTo("admitted bytes");
    assertThat(versions(key).versions()).extracting(v -> v.versionId()).containsExactly(later);
    assertThat(disposal(RejectedInputs.QUARANTINE).dispose(key, admitted, true).disposition()).isEqualTo(Disposition.GONE);
  }

  @Test
  void aMissingSourceIsGoneButAMissingBucketFails() {
    String key = Keys.uploadKey("u", UUID.randomUUID(), "mp4");
    assertThat(disposal(RejectedInputs.QUARANTINE).dispose(key, null, false).disposition())
        .as("404: there was nothing to quarantine").isEqualTo(Disposition.GONE);
    InputDisposal elsewhere = new InputDisposal(TestStack::s3, "no-such-bucket-" + UUID.randomUUID(), RejectedInputs.DELETE);
    assertThatThrownBy(() -> elsewhere.dispose(key, null, false)).isInstanceOf(S3Exception.class);
  }
}
