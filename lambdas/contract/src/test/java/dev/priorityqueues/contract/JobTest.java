package dev.priorityqueues.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JobTest {

  @Test
  void roundTrips() {
    Job job = new Job("j-1", "bucket", "uploads/u1/a.mp4", "u1", "premium", Instant.parse("2026-11-22T02:00:00.123Z"));
    assertThat(Job.fromJson(job.toJson())).isEqualTo(job);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json|not valid JSON",
        "[]|must be a JSON object, not an array",
        "{}|has no 'version'",
        "{\"version\":2}|has version 2; this worker reads version 1",
        "{\"version\":1,\"jobId\":\"j\",\"bucket\":\"b\",\"videoKey\":\"etc/passwd\",\"userId\":\"u\",\"tier\":\"t\",\"enqueuedAt\":\"2026-11-22T02:00:00Z\"}|is not under uploads/",
        "{\"version\":1,\"jobId\":\"j\",\"bucket\":\"b\",\"videoKey\":\"uploads/u/a\",\"userId\":\"u\",\"tier\":\"t\",\"enqueuedAt\":\"yesterday\"}|is not an ISO-8601 instant",
        "{\"version\":1,\"jobId\":7,\"bucket\":\"b\",\"videoKey\":\"uploads/u/a\",\"userId\":\"u\",\"tier\":\"t\",\"enqueuedAt\":\"2026-11-22T02:00:00Z\"}|'jobId' must be a string, not a number",
        "{\"version\":1} {}|content after its JSON value",
        "{\"version\":1,\"version\":1}|not valid JSON",
      })
  void rejectsMalformedBodiesWithAClearReason(String body, String reason) {
    assertThatThrownBy(() -> Job.fromJson(body)).isInstanceOf(ContractException.class).hasMessageContaining(reason);
  }

  @Test
  void rejectsOversizedBodies() {
    assertThatThrownBy(() -> Job.fromJson("x".repeat(Job.MAX_BODY_CHARS + 1))).hasMessageContaining("a job is at most");
  }
}
