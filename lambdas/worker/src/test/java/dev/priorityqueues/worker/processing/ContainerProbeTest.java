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
}
