package dev.priorityqueues.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.priorityqueues.common.testing.SqsEventSource;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Job;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables.Videos;
import dev.priorityqueues.local.servers.LambdaContext;
import dev.priorityqueues.worker.processing.ByteSource;
import dev.priorityqueues.worker.processing.ContainerProbe;
import dev.priorityqueues.worker.processing.TestFfmpeg;
import dev.priorityqueues.worker.processing.TranscodingProcessor;
import dev.priorityqueues.worker.processing.VideoInfo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The transcode processor on real clips made by the layer's own ffmpeg, through the real worker
 * against S3Proxy, DynamoDB Local and ElasticMQ: renditions, watermark, thumbnail, the record's
 * outputs, bad inputs, and the time budget.
 */
class TranscodingWorkerTest {

  @TempDir static Path clips;
  @TempDir static Path scratch;
  static Path standard;
  static Path videoOnly;
  static Path audioOnly;
  static Path portrait;
  static Path variableRate;
  static Path corrupt;
  static Path unknownCodec;

  @BeforeAll
  static void makeClips() throws IOException {
    // A flat colour, so the watermark's magenta cannot come from the picture itself.
    standard = TestFfmpeg.clip(clips, "standard.mp4", "color=c=0x204060", 320, 240, 2, true);
    videoOnly = TestFfmpeg.clip(clips, "video-only.mp4", "testsrc2", 320, 240, 2, false);
    portrait = TestFfmpeg.clip(clips, "portrait.mp4", "testsrc2", 240, 320, 2, true);
    // Keeps every frame of the first second and every third after it, with their own timestamps.
    variableRate = TestFfmpeg.clip(clips, "vfr.mp4", "testsrc2", 320, 240, 2, true,
        "-vf", "select='lt(n\\,25)+not(mod(n\\,3))'", "-vsync", "vfr");
    TestFfmpeg.run(clips, "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", "audio-only.mp4");
    audioOnly = clips.resolve("audio-only.mp4");
    byte[] bytes = Files.readAllBytes(standard);
    for (int i = bytes.length / 3; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    corrupt = Files.write(clips.resolve("corrupt.mp4"), bytes);
    // A well-formed MP4 whose video track names a codec no decoder knows: only FFmpeg can tell.
    byte[] renamed = Files.readAllBytes(standard);
    int entry = indexOf(renamed, "avc1", indexOf(renamed, "stsd", 0));
    System.arraycopy("zzzz".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, renamed, entry, 4);
    unknownCodec = Files.write(clips.resolve("unknown-codec.mp4"), renamed);
  }

  private static WorkerFixture fixture(String name, Map<String, String> env) {
    TestStack.Builder builder = TestStack.builder(name)
        .env(FunctionEnv.FLOW, "queue-level")
        .env(FunctionEnv.FFMPEG, TestFfmpeg.binary().toString())
        .env(FunctionEnv.SCRATCH_DIR, scratch.toString());
    env.forEach(builder::env);
    return new WorkerFixture(builder.build());
  }

  private static Job upload(WorkerFixture fixture, Path clip) {
    String user = clip.getFileName().toString().replaceAll("[^a-z0-9]", "-");
    String key = Keys.uploadKey(user, UUID.randomUUID(), "mp4");
    TestStack.s3().putObject(b -> b.bucket(fixture.stack.bucket()).key(key), RequestBody.fromFile(clip));
    return fixture.queued("regular", user, key);
  }

  private static byte[] object(WorkerFixture fixture, String key) {
    return TestStack.s3().getObjectAsBytes(b -> b.bucket(fixture.stack.bucket()).key(key)).asByteArray();
  }

  private static List<Map<String, AttributeValue>> outputs(WorkerFixture fixture, Job job) {
    return fixture.stack.video(job.videoKey()).get(Videos.OUTPUTS).l().stream().map(AttributeValue::m).toList();
  }

  private static long n(Map<String, AttributeValue> map, String name) {
    return Long.parseLong(map.get(name).n());
  }

  @Test
  void makesWatermarkedRenditionsThatNeverUpscaleAndAThumbnail() throws IOException {
    WorkerFixture fixture = fixture("transcode", Map.of(FunctionEnv.RENDITIONS, "720,200,144"));
    Job job = upload(fixture, standard);

    // A fresh invocation of the default 900 s timeout: the time budget compares its estimate with
    // what is left, so the job starts whatever the machine's speed.
    SqsEventSource.Batch batch = fixture.deliver(fixture.configuredHandler(), "regular", 1,
        LambdaContext.withRemaining("worker", Duration.ofSeconds(900)));

    assertThat(batch.failedIds()).as(fixture.stack.video(job.videoKey()).toString()).isEmpty();
    Map<String, AttributeValue> item = fixture.stack.video(job.videoKey());
    assertThat(item.get(Videos.STATUS).s()).as(item.toString()).isEqualTo("DONE");
    List<Map<String, AttributeValue>> outputs = outputs(fixture, job);
    assertThat(outputs).extracting(o -> o.get("name").s())
        .as("720 would upscale a 240-line source").containsExactly("200p.mp4", "144p.mp4", "thumbnail.jpg");
    for (Map<String, AttributeValue> output : outputs) {
      assertThat(output.keySet()).containsExactlyInAnyOrder("kind", "name", "key", "bytes", "width", "height",
          "durationMillis");
      String key = output.get("key").s();
      assertThat(key).isEqualTo(Keys.PROCESSED_PREFIX + job.videoKey() + "/" + output.get("name").s());
      byte[] bytes = object(fixture, key);
      assertThat((long) bytes.length).isEqualTo(n(output, "bytes"));
      if (output.get("kind").s().equals("rendition")) {
        VideoInfo info = ContainerProbe.probe(ByteSource.of(bytes));
        assertThat(info.container()).isEqualTo("mp4");
        long height = Long.parseLong(output.get("name").s().replace("p.mp4", ""));
        assertThat((long) info.height()).isEqualTo(height).isEqualTo(n(output, "height"));
        assertThat((long) info.width()).isEqualTo(n(output, "width")).isEqualTo(height * 4 / 3 / 2 * 2);
        assertThat(info.durationMillis()).isCloseTo(2000L, within(100L)).isEqualTo(n(output, "durationMillis"));
        assertThat(new String(bytes, 4, 4)).as("+faststart: the moov box comes before the media")
            .isEqualTo("ftyp");
        assertThat(indexOf(bytes, "moov")).isLessThan(indexOf(bytes, "mdat"));
      } else {
        assertThat(output.get("kind").s()).isEqualTo("thumbnail");
        assertThat(bytes[0] & 0xff).isEqualTo(0xFF);
        assertThat(bytes[1] & 0xff).as("JPEG SOI").isEqualTo(0xD8);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image.getWidth()).isEqualTo(320).isEqualTo((int) n(output, "width"));
        assertThat(image.getHeight()).isEqualTo(240).isEqualTo((int) n(output, "height"));
      }
    }

    // The watermark sits in the bottom-right corner of a decoded frame, and nowhere else.
    Path rendition = Files.write(clips.resolve("got-200p.mp4"), object(fixture, outputs.get(0).get("key").s()));
    TestFfmpeg.run(clips, "-ss", "1", "-i", rendition.toString(), "-frames:v", "1", "frame.png");
    BufferedImage frame = ImageIO.read(clips.resolve("frame.png").toFile());
    int w = frame.getWidth();
    int h = frame.getHeight();
    assertThat(magenta(frame, w - 60, h - 26, w - 5, h - 5)).as("watermark pixels").isGreaterThan(300);
    assertThat(magenta(frame, 0, 0, 60, 26)).as("the opposite corner").isZero();
    // The thumbnail carries it too, sized to its own short side.
    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(object(fixture, outputs.get(2).get("key").s())));
    int tw = thumbnail.getWidth();
    int th = thumbnail.getHeight();
    assertThat(magenta(thumbnail, tw - 72, th - 32, tw - 4, th - 4)).as("thumbnail watermark pixels").isGreaterThan(300);
    assertThat(magenta(thumbnail, 0, 0, 72, 32)).as("the thumbnail's opposite corner").isZero();
    assertThat(Files.list(scratch.resolve("pq-jobs")).toList()).as("/tmp is emptied after the job").isEmpty();
    // The job's log line says where its time went, step by step, in the order they ran.
    assertThat(fixture.lines.withMessage("job done")).singleElement().satisfies(line -> {
      @SuppressWarnings("unchecked")
      Map<String, Number> steps = (Map<String, Number>) line.get("stepMillis");
      assertThat(steps.keySet()).containsExactly("probe", "prepare", "ffmpeg", "check", "upload");
      assertThat(steps.get("ffmpeg").longValue()).as("a real transcode takes time").isPositive();
    });
  }

  @Test
  void aReRunOverwritesTheSameKeys() throws IOException {
    WorkerFixture fixture = fixture("rerun", Map.of(FunctionEnv.RENDITIONS, "144"));
    Job job = upload(fixture, standard);
    TranscodingProcessor processor = (TranscodingProcessor) processorOf(fixture);
    processor.process(job);
    List<String> first = keysUnder(fixture, job);
    // What a killed invocation left in the reused /tmp goes before the next job runs.
    Path leftover = scratch.resolve("pq-jobs").resolve("killed-job-1");
    Files.createDirectories(leftover);
    Files.write(leftover.resolve("720p.mp4"), new byte[1024]);
    processor.process(job);
    assertThat(keysUnder(fixture, job)).isEqualTo(first).hasSize(2);
    assertThat(leftover).doesNotExist();
    assertThat(Files.list(scratch.resolve("pq-jobs")).toList()).isEmpty();
  }

  @Test
  void videoOnlyPortraitAndVariableFrameRateAllTranscode() {
    WorkerFixture fixture = fixture("shapes", Map.of(FunctionEnv.RENDITIONS, "180"));
    Job silent = upload(fixture, videoOnly);
    Job tall = upload(fixture, portrait);
    Job vfr = upload(fixture, variableRate);

    SqsEventSource.Batch batch = fixture.deliver(fixture.configuredHandler(), "regular", 10);

    assertThat(batch.failedIds()).isEmpty();
    for (Job job : List.of(silent, tall, vfr)) {
      assertThat(fixture.stack.video(job.videoKey()).get(Videos.STATUS).s())
          .as(fixture.stack.video(job.videoKey()).toString()).isEqualTo("DONE");
    }
    Map<String, AttributeValue> tallRendition = outputs(fixture, tall).get(0);
    assertThat(n(tallRendition, "width")).as("a portrait video's rung is its short side").isEqualTo(180);
    assertThat(n(tallRendition, "height")).isEqualTo(240);
    assertThat(n(outputs(fixture, silent).get(0), "durationMillis")).isCloseTo(2000L, within(100L));
    assertThat(n(outputs(fixture, vfr).get(0), "durationMillis")).isCloseTo(2000L, within(100L));
    assertThat(n(outputs(fixture, tall).get(1), "height")).as("thumbnail keeps the aspect").isEqualTo(426);
  }

  @Test
  void corruptAudioOnlyAndUndecodableUploadsFailForGoodWithTheReason() {
    WorkerFixture fixture = fixture("bad", Map.of(FunctionEnv.RENDITIONS, "144"));
    Job broken = upload(fixture, corrupt);
    Job sound = upload(fixture, audioOnly);
    Job codec = upload(fixture, unknownCodec);

    SqsEventSource.Batch batch = fixture.deliver(fixture.configuredHandler(), "regular", 10);

    assertThat(batch.failedIds()).as("acknowledged: a retry cannot help").isEmpty();
    Map<String, AttributeValue> brokenItem = fixture.stack.video(broken.videoKey());
    assertThat(brokenItem.get(Videos.STATUS).s()).isEqualTo("FAILED");
    assertThat(brokenItem.get(Videos.REASON).s()).as("the project's parser sees the damage before ffmpeg runs")
        .startsWith("not a video: byte ").contains("does not start a box");
    Map<String, AttributeValue> soundItem = fixture.stack.video(sound.videoKey());
    assertThat(soundItem.get(Videos.STATUS).s()).isEqualTo("FAILED");
    assertThat(soundItem.get(Videos.REASON).s()).isEqualTo("not a video: its movie has no video track");
    Map<String, AttributeValue> codecItem = fixture.stack.video(codec.videoKey());
    assertThat(codecItem.get(Videos.STATUS).s()).isEqualTo("FAILED");
    assertThat(codecItem.get(Videos.REASON).s()).as("FFmpeg's own words")
        .isEqualTo("ffmpeg could not process the video: Decoder (codec none) not found for input stream #0:0");
  }

  @Test
  void aVideoThatCanNeverFinishFailsBeforeFfmpegStarts() {
    WorkerFixture fixture = fixture("budget", Map.of(FunctionEnv.RENDITIONS, "144",
        FunctionEnv.TRANSCODE_SPEED, "0.01", FunctionEnv.WORKER_TIMEOUT_SECONDS, "6"));
    Job job = upload(fixture, standard);

    fixture.deliver(fixture.configuredHandler(), "regular", 1);

    Map<String, AttributeValue> item = fixture.stack.video(job.videoKey());
    assertThat(item.get(Videos.STATUS).s()).isEqualTo("FAILED");
    assertThat(item.get(Videos.REASON).s()).startsWith("too long to transcode: the video is 2.0 s long; at 0.01 s"
        + " of video per second per vCPU").contains("but the worker has at most 6 s");
  }

  @Test
  void aTranscodeThatOverrunsIsKilledBeforeTheDeadlineAndRetried() throws IOException {
    Path longer = TestFfmpeg.clip(clips, "long.mp4", "testsrc2", 640, 480, 20, true);
    WorkerFixture fixture = fixture("deadline", Map.of(FunctionEnv.RENDITIONS, "480,360",
        FunctionEnv.TRANSCODE_SPEED, "100"));
    Job job = upload(fixture, longer);
    long started = System.nanoTime();

    SqsEventSource.Batch batch = fixture.deliver(fixture.configuredHandler(), "regular", 1,
        LambdaContext.withRemaining("worker", Duration.ofMillis(7_000)));

    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(tookMillis).as("the invocation ends before its 7 s deadline").isLessThan(7_000);
    Map<String, AttributeValue> item = fixture.stack.video(job.videoKey());
    assertThat(item.get(Videos.STATUS).s()).as("the claim is released").isEqualTo("QUEUED");
    assertThat(item.get(Videos.ATTEMPTS).n()).as("the attempt is recorded").isEqualTo("1");
    assertThat(item.get(Videos.REASON).s()).contains("stopped before the function's deadline");
    assertThat(batch.failedIds()).as("back to the queue for a retry").hasSize(1);
    assertThat(Files.list(scratch.resolve("pq-jobs")).toList()).as("the killed job's files are gone").isEmpty();
  }

  private static dev.priorityqueues.worker.processing.VideoProcessor processorOf(WorkerFixture fixture) {
    return dev.priorityqueues.worker.processing.Processors.fromSpec(null, fixture.stack.bucket(), TestStack::s3,
        () -> new dev.priorityqueues.common.AwsClients(new dev.priorityqueues.contract.EnvReader(fixture.stack.env()))
            .presigner(),
        new dev.priorityqueues.contract.EnvReader(fixture.stack.env()), java.time.Clock.systemUTC());
  }

  private static List<String> keysUnder(WorkerFixture fixture, Job job) {
    return TestStack.s3().listObjectsV2(b -> b.bucket(fixture.stack.bucket())
            .prefix(Keys.PROCESSED_PREFIX + job.videoKey() + "/"))
        .contents().stream().map(o -> o.key()).sorted().collect(Collectors.toList());
  }

  private static int magenta(BufferedImage image, int x0, int y0, int x1, int y1) {
    int count = 0;
    for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y1); y++) {
      for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x1); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r > 170 && b > 170 && g < 110) {
          count++;
        }
      }
    }
    return count;
  }

  private static int indexOf(byte[] bytes, String fourCc) {
    return indexOf(bytes, fourCc, 0);
  }

  private static int indexOf(byte[] bytes, String fourCc, int from) {
    byte[] needle = fourCc.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = from; i + 4 <= bytes.length; i++) {
      for (int j = 0; j < 4; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
