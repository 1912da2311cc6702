package dev.priorityqueues.contract.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.TierTable;

/**
 * Fuzz targets for the contract's parsers: the worker's job messages, the tier table every
 * function reads, the JSON reader under both, and the escaping of subjects into upload folders. Any exception but a {@link ContractException}
 * with a message is a finding. In the normal test run these replay the inputs under
 * {@code src/test/resources/.../ContractFuzzTestInputs}; {@code ./pq fuzz} fuzzes them.
 */
class ContractFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void jobMessages(FuzzedDataProvider data) {
    String body = data.consumeRemainingAsString();
    try {
      Job job = Job.fromJson(body);
      assertThat(Job.fromJson(job.toJson())).isEqualTo(job);
    } catch (ContractException e) {
      assertThat(e.getMessage()).startsWith("job message");
    }
  }

  @FuzzTest(maxDuration = "60s")
  void tierTables(FuzzedDataProvider data) {
    String defaultTier = data.consumeString(12);
    String json = data.consumeRemainingAsString();
    try {
      TierTable table = TierTable.fromJson(json, defaultTier);
      assertThat(TierTable.fromJson(table.toJson(), defaultTier).all()).isEqualTo(table.all());
      assertThat(table.forSubscription(defaultTier)).isNotNull();
    } catch (ContractException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @FuzzTest(maxDuration = "60s")
  void jsonObjects(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      assertThat(Json.parseObject("document", text)).isNotNull();
    } catch (ContractException e) {
      assertThat(e.getMessage()).startsWith("document");
    }
  }

  /**
   * Upload folders: every accepted subject comes back from its folder, and a folder decodes only
   * if it is the one its subject gets, so no two subjects share a folder (and no key another).
   */
  @FuzzTest(maxDuration = "60s")
  void userFolders(FuzzedDataProvider data) {
    String folder = data.consumeString(64);
    String subject = data.consumeRemainingAsString();
    String decoded = Keys.subjectOf(folder);
    if (decoded != null) {
      assertThat(Keys.folderOf(decoded)).isEqualTo(folder);
    }
    try {
      String own = Keys.folderOf(subject);
      assertThat(own).matches("[A-Za-z0-9._-]+").doesNotStartWith(".").hasSizeLessThanOrEqualTo(Keys.MAX_FOLDER_CHARS);
      assertThat(Keys.subjectOf(own)).isEqualTo(subject);
    } catch (ContractException e) {
      assertThat(e.getMessage()).startsWith("the subject is");
    }
  }
}
