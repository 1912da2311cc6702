package dev.priorityqueues.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.VideoStatus;
import dev.priorityqueues.local.cloud.Videos;
import dev.priorityqueues.local.sdk.ApiCalls;
import dev.priorityqueues.local.sdk.Caller;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinimalCallsTest {

  private static Videos.Record record(VideoStatus status, Integer outputs) {
    return new Videos.Record("uploads/u/v.mp4", "u", status, "regular", null, 1L, 2L, 3L, 1L, 1L, 1L, outputs);
  }

  @Test
  void aDoneVideoNeedsItsUploadItsQueueingAndOneWriteOfEachOutput() {
    assertThat(MinimalCalls.of(record(VideoStatus.DONE, 3)))
        .isEqualTo(Map.of(Functions.PRESIGN, 3, Functions.ROUTER, 5, Functions.WORKER, 10));
  }

  @Test
  void aFailedVideoNeedsNoOutputsButItsUploadGoneAndNoted() {
    assertThat(MinimalCalls.of(record(VideoStatus.FAILED, null)))
        .containsEntry(Functions.WORKER, 9).containsEntry(Functions.ROUTER, 5).containsEntry(Functions.PRESIGN, 3);
  }

  @Test
  void aRefusedUploadEndsAtTheRouterAndAnOrphanHadNoPresign() {
    assertThat(MinimalCalls.of(record(VideoStatus.REJECTED, null)))
        .isEqualTo(Map.of(Functions.PRESIGN, 3, Functions.ROUTER, 4));
    assertThat(MinimalCalls.of(record(VideoStatus.ORPHANED, null)))
        .isEqualTo(Map.of(Functions.ROUTER, 4));
  }

  @Test
  void comparesEachFunctionsMeasuredCallsWithItsNeedsLeavingTheDriverOut() {
    ApiCalls calls = new ApiCalls();
    for (int i = 0; i < 6; i++) {
      calls.record(Caller.function("presign-function"), "DynamoDb", "UpdateItem");
    }
    calls.record(Caller.function("presign-function"), "DynamoDb", "GetItem");
    calls.record(Caller.poller("worker-function"), "Sqs", "ReceiveMessage");
    calls.record(Caller.DRIVER, "S3", "PutObject");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // The status function serves reads, outside any upload's minimal set: not counted.
    calls.record(Caller.function("video-status-function"), "DynamoDb", "Query");
    MinimalCalls.compare(new PrintStream(out, true, StandardCharsets.UTF_8), calls,
        List.of(record(VideoStatus.DONE, 2), record(VideoStatus.DONE, 2)),
        Map.of("presign-function", Functions.PRESIGN, "router-function", Functions.ROUTER,
            "worker-function", Functions.WORKER, "video-status-function", Functions.STATUS));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("presign-function       3.50 measured /   3.00 minimal = 1.17×")
        .contains("worker-function        0.50 measured /   9.00 minimal = 0.06×")
        .contains("all three              4.00 measured /  17.00 minimal = 0.24× the minimal set");
  }
}
