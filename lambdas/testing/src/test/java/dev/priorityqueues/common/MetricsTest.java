package dev.priorityqueues.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.CapturedLines;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void flushesOneEmbeddedMetricDocumentPerTier() {
    CapturedLines lines = new CapturedLines();
    Metrics metrics = new Metrics("worker", lines, Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));
    Metrics.Recorder recorder = metrics.recorder();
    recorder.count("Steals", "premium");
    recorder.count("Steals", "premium");
    recorder.count("DeadLetters", "regular");
    recorder.count("Orphans", null);
    recorder.flush();
    recorder.flush();
    assertThat(lines.lines()).containsExactly(
        "{\"_aws\":{\"Timestamp\":1700000000000,\"CloudWatchMetrics\":[{\"Namespace\":\"PriorityQueues\","
            + "\"Dimensions\":[[\"Function\",\"Tier\"]],\"Metrics\":[{\"Name\":\"Steals\",\"Unit\":\"Count\"}]}]},"
            + "\"Function\":\"worker\",\"Tier\":\"premium\",\"Steals\":2}",
        "{\"_aws\":{\"Timestamp\":1700000000000,\"CloudWatchMetrics\":[{\"Namespace\":\"PriorityQueues\","
            + "\"Dimensions\":[[\"Function\",\"Tier\"]],\"Metrics\":[{\"Name\":\"DeadLetters\",\"Unit\":\"Count\"}]}]},"
            + "\"Function\":\"worker\",\"Tier\":\"regular\",\"DeadLetters\":1}",
        "{\"_aws\":{\"Timestamp\":1700000000000,\"CloudWatchMetrics\":[{\"Namespace\":\"PriorityQueues\","
            + "\"Dimensions\":[[\"Function\",\"Tier\"]],\"Metrics\":[{\"Name\":\"Orphans\",\"Unit\":\"Count\"}]}]},"
            + "\"Function\":\"worker\",\"Tier\":\"none\",\"Orphans\":1}");
    assertThat(lines.metric("Steals", "premium")).isEqualTo(2);
  }

  @Test
  void timingsKeepEveryValueInMillisecondsAtMostAHundredPerDocument() {
    CapturedLines lines = new CapturedLines();
    Metrics metrics = new Metrics("worker", lines, Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));
    Metrics.Recorder recorder = metrics.recorder();
    for (int i = 0; i < 150; i++) {
      recorder.time("JobQueueWait", "premium", i);
    }
    recorder.time("JobEndToEnd", "premium", 2_000);
    recorder.time("JobQueueWait", "regular", -5);
    recorder.count("JobsDone", "premium");
    recorder.flush();
    var docs = lines.json();
    assertThat(docs).hasSize(4);
    assertThat(docs.get(0)).containsEntry("JobsDone", 1);
    assertThat(lines.lines().get(1)).startsWith(
        "{\"_aws\":{\"Timestamp\":1700000000000,\"CloudWatchMetrics\":[{\"Namespace\":\"PriorityQueues\","
            + "\"Dimensions\":[[\"Function\",\"Tier\"]],\"Metrics\":[{\"Name\":\"JobQueueWait\",\"Unit\":\"Milliseconds\"},"
            + "{\"Name\":\"JobEndToEnd\",\"Unit\":\"Milliseconds\"}]}]},\"Function\":\"worker\",\"Tier\":\"premium\"");
    assertThat((java.util.List<?>) docs.get(1).get("JobQueueWait")).hasSize(100);
    assertThat((java.util.List<?>) docs.get(2).get("JobQueueWait")).hasSize(50);
    assertThat(docs.get(2)).as("the second premium document carries only the metric that still has values")
        .doesNotContainKey("JobEndToEnd");
    assertThat(lines.values("JobQueueWait", "premium")).hasSize(150).startsWith(0L, 1L).endsWith(149L);
    assertThat(lines.values("JobEndToEnd", "premium")).containsExactly(2_000L);
    assertThat(lines.values("JobQueueWait", "regular")).as("a clock step never yields a negative wait").containsExactly(0L);
    recorder.flush();
    assertThat(lines.lines()).hasSize(4);
  }
}
