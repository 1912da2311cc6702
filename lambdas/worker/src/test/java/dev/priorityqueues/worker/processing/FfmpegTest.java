package dev.priorityqueues.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner around the real binary: its stderr becomes a failure's reason, and its log file is
 * gone after every run, whatever the outcome, so a directory that outlives a run (the benchmark's
 * clips, a job's scratch) holds only what FFmpeg wrote.
 */
class FfmpegTest {

  @TempDir Path dir;

  private List<String> files() throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aRunLeavesOnlyItsOutput() throws IOException {
    new Ffmpeg(TestFfmpeg.binary()).run(List.of("-f", "lavfi", "-i", "color=c=red:size=64x48:duration=0.2",
        "-frames:v", "1", "frame.png"), dir, 60_000);

    assertThat(files()).containsExactly("frame.png");
  }

  @Test
  void aFailureQuotesFfmpegAndLeavesNoLog() throws IOException {
    Files.writeString(dir.resolve("corrupt.mp4"), "not a video at all");

    assertThatThrownBy(() -> new Ffmpeg(TestFfmpeg.binary()).run(List.of("-i", "corrupt.mp4", "out.mp4"), dir, 60_000))
        .isInstanceOfSatisfying(Ffmpeg.Failed.class,
            failed -> assertThat(failed.reason()).contains("corrupt.mp4").contains("Invalid data"));
    assertThat(files()).containsExactly("corrupt.mp4");
  }

  @Test
  void anOverrunIsStoppedAndLeavesNoLog() throws IOException {
    // A ten-minute source, read at its own pace (-re), cannot finish in half a second.
    assertThatThrownBy(() -> new Ffmpeg(TestFfmpeg.binary()).run(List.of("-re", "-f", "lavfi", "-i",
        "color=size=64x48:duration=600", "-f", "null", "-"), dir, 500))
        .isInstanceOf(Ffmpeg.Overrun.class).hasMessageContaining("stopped before the function's deadline");
    assertThat(files()).isEmpty();
  }
}
