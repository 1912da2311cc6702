package dev.priorityqueues.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.worker.Samples;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Container detection by parsing real files made by ffmpeg, and damaged or disguised ones. */
class ContainerProbeTest {

  private static byte[] sample(String name) {
    return Samples.bytes(name);
  }

  private static VideoInfo probe(byte[] bytes) {
    return ContainerProbe.probe(ByteSource.of(bytes));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "sample.mp4,  mp4,  isom, 1000, 64, 48",
    "sample.mov,  mov,  qt,   2000, 80, 60",
    "sample.webm, webm, webm, 1500, 96, 54",
  })
  void readsContainerDurationAndResolution(String file, String container, String brand, long millis, int width,
      int height) {
    assertThat(probe(sample(file))).isEqualTo(new VideoInfo(container, brand, millis, width, height));
  }

  @Test
  void decidesByContentNotName() {
    assertThatThrownBy(() -> probe(sample("not-a-video.mp4")))
        .isInstanceOf(NotAVideo.class)
        .hasMessage("not a video: it is not an MP4, MOV or WebM container (it starts with 54 68 69 73 20 69 73 20)");
  }

  @Test
  void refusesAudioOnlyIsoFilesAndMatroskaThatIsNotWebm() {
    assertThatThrownBy(() -> probe(sample("audio-only.m4a"))).hasMessage("not a video: its movie has no video track");
    assertThatThrownBy(() -> probe(sample("sample.mkv")))
        .hasMessage("not a video: it is an EBML file of DocType 'matroska'; the accepted containers are MP4, MOV and WebM");
  }

  @Test
  void refusesTinyTruncatedAndForgedFiles() {
    assertThatThrownBy(() -> probe(new byte[0])).hasMessage("not a video: the object is 0 bytes, too small for any video container");
    byte[] mov = sample("sample.mov");
    assertThatThrownBy(() -> probe(Arrays.copyOf(mov, mov.length - 100)))
        .as("a MOV whose moov (at the end) was cut off")
        .hasMessageStartingWith("not a video: box 'moov' at byte ");
    byte[] mp4 = sample("sample.mp4");
    assertThatThrownBy(() -> probe(Arrays.copyOf(mp4, 40)))
        .hasMessageStartingWith("not a video: box 'moov' at byte 32 claims");
    byte[] forged = mp4.clone();
    ByteBuffer.wrap(forged).putInt(0, 0x7fffffff);
    assertThatThrownBy(() -> probe(forged)).hasMessage("not a video: box 'ftyp' at byte 0 claims 2147483647 bytes, but 7136 remain");
    byte[] onlyFtyp = Arrays.copyOf(mp4, ByteBuffer.wrap(mp4).getInt(0));
    assertThatThrownBy(() -> probe(onlyFtyp)).hasMessage("not a video: it has no 'moov' box, so nothing can play it");
    byte[] webm = sample("sample.webm");
    assertThatThrownBy(() -> probe(Arrays.copyOf(webm, 60))).hasMessageStartingWith("not a video: the EBML element at byte");
  }

  @Test
  void refusesAnEbmlSizeThatWouldWrapAroundAnInt() {
    // An EBML header whose DocType claims 2^32 + 4 bytes: read as an int that is 4, exactly "webm".
    byte[] forged = Arrays.copyOf(new byte[] {
        0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x8E,
        0x42, (byte) 0x82, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 'w', 'e', 'b', 'm'}, 64);

    assertThatThrownBy(() -> probe(forged))
        .hasMessageStartingWith("not a video: an EBML element claims 4294967300 bytes, but 4 remain");
  }

  /** The sample MP4 with its {@code mvhd} made version 1 (64-bit times) with this time scale and duration. */
  private static byte[] mp4WithMovieHeader(int timescale, long duration) {
    byte[] mp4 = sample("sample.mp4");
    int content = indexOf(mp4, "mvhd".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + 4;
    ByteBuffer.wrap(mp4).put(content, (byte) 1).putInt(content + 20, timescale).putLong(content + 24, duration);
    return mp4;
  }

  /** The sample WebM with its Info's 8-byte Duration and 3-byte TimestampScale replaced. */
  private static byte[] webmWithDuration(double duration, int scale) {
    byte[] webm = sample("sample.webm");
    int durationAt = indexOf(webm, new byte[] {0x44, (byte) 0x89, (byte) 0x88}) + 3;
    int scaleAt = indexOf(webm, new byte[] {0x2A, (byte) 0xD7, (byte) 0xB1, (byte) 0x83}) + 4;
    ByteBuffer.wrap(webm).putDouble(durationAt, duration)
        .put(scaleAt, (byte) (scale >>> 16)).put(scaleAt + 1, (byte) (scale >>> 8)).put(scaleAt + 2, (byte) scale);
    return webm;
  }

  private static int indexOf(byte[] bytes, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= bytes.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not in sample");
  }

  @Test
  void boundsTheMovieHeaderDurationArithmetic() {
    assertThat(probe(mp4WithMovieHeader(1000, 2500)).durationMillis()).as("a valid version 1 header").isEqualTo(2500);
    assertThat(probe(mp4WithMovieHeader(3, 10)).durationMillis()).as("no precision lost by dividing first").isEqualTo(3333);
    assertThat(probe(mp4WithMovieHeader(1000, -1)).durationMillis()).as("all ones: unknown").isNull();
    assertThat(probe(mp4WithMovieHeader(1, ContainerProbe.MAX_DURATION_MILLIS / 1000)).durationMillis())
        .isEqualTo(ContainerProbe.MAX_DURATION_MILLIS);
    // duration * 1000 overflowed into a negative durationMillis before the bound.
    assertThatThrownBy(() -> probe(mp4WithMovieHeader(1000, Long.MAX_VALUE / 100)))
        .isInstanceOf(NotAVideo.class)
        .hasMessage("not a video: its movie header claims 92233720368547758 units at 1000 per second, longer than 2592000000 ms");
    assertThatThrownBy(() -> probe(mp4WithMovieHeader(1, ContainerProbe.MAX_DURATION_MILLIS / 1000 + 1)))
        .hasMessageContaining("longer than 2592000000 ms");
    assertThatThrownBy(() -> probe(mp4WithMovieHeader(-1, Long.MIN_VALUE)))
        .as("a duration over 2^63, read unsigned").hasMessageContaining("claims 9223372036854775808 units at 4294967295 per second");
    assertThatThrownBy(() -> probe(mp4WithMovieHeader(0, 10)))
        .hasMessage("not a video: its movie header has a time scale of 0, so its duration is undefined");
  }

  @Test
  void refusesNonFiniteNegativeAndOverlongWebmDurations() {
    assertThat(probe(webmWithDuration(1500, 1_000_000)).durationMillis()).isEqualTo(1500);
    assertThat(probe(webmWithDuration(1500, 2_000_000)).durationMillis()).as("scale in ns per unit").isEqualTo(3000);
    for (double forged : new double[] {Double.POSITIVE_INFINITY, Double.NaN, -1, 1e300, ContainerProbe.MAX_DURATION_MILLIS + 1.0}) {
      assertThatThrownBy(() -> probe(webmWithDuration(forged, 1_000_000)))
          .as("Duration %s", forged)
          .isInstanceOf(NotAVideo.class)
          .hasMessage("not a video: its Duration is " + forged + " at a TimestampScale of 1000000 ns, not a length from 0 to 2592000000 ms");
    }
    assertThatThrownBy(() -> probe(webmWithDuration(1500, 0)))
        .hasMessage("not a video: its TimestampScale is 0 ns, outside 1 to 2^63-1");
  }
}
