package dev.priorityqueues.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the container probe, which reads bytes any uploader controls. Whatever the
 * bytes, the probe either describes a video whose duration and size are in range, or refuses it
 * with {@link NotAVideo}; any other exception, or a negative or overlong duration, is a finding.
 * The seeds are the three sample containers and two forged headers that overflowed before.
 */
class ContainerProbeFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void containers(byte[] bytes) {
    VideoInfo info;
    try {
      info = ContainerProbe.probe(ByteSource.of(bytes));
    } catch (NotAVideo refused) {
      assertThat(refused.getMessage()).startsWith("not a video: ");
      return;
    }
    assertThat(info.container()).isIn("mp4", "mov", "webm");
    if (info.durationMillis() != null) {
      assertThat(info.durationMillis()).isBetween(0L, ContainerProbe.MAX_DURATION_MILLIS);
    }
    if (info.width() != null) {
      assertThat(info.width()).isPositive();
    }
    if (info.height() != null) {
      assertThat(info.height()).isPositive();
    }
  }
}
