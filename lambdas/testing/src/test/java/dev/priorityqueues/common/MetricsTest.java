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
}
