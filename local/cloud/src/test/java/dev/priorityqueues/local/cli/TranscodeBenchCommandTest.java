package dev.priorityqueues.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A tiny run of `./pq transcode-bench`: it measures, and writes every section of its report. */
class TranscodeBenchCommandTest {

  @Test
  void writesTheReportWithEveryMeasurement(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("transcode.md");

    int code = new CommandLine(new Main()).execute("transcode-bench", "--seconds", "1", "--height", "240",
        "--large-mb", "1", "--out", report.toString());

    assertThat(code).isZero();
    String text = Files.readString(report);
    assertThat(text).contains("| default (720p + 360p, watermark, thumbnail) |", "| one rendition (720p",
        "| small-240p-1s.mp4 |", "| large-240p-1mb.mp4 |", "Job wall time ÷ bare ffmpeg:", "Peak heap, large ÷ small input:",
        "| worker jar (no codec) |", "| 10240 MB | 5.79 |");
    assertThat(text).doesNotContain("NaN", "Infinity");
  }

  @Test
  void refusesASizeOutOfRange() {
    int code = new CommandLine(new Main()).execute("transcode-bench", "--seconds", "0");
    assertThat(code).isNotZero();
  }
}
