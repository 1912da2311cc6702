package dev.priorityqueues.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.TestStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs against S3Proxy: a large file goes up in parts sent side by side and arrives whole and
 * in order; a small one in one PUT; the same key again replaces the object. (Parts of S3's
 * smallest size, 5 MiB, keep the test small.)
 */
class OutputUploaderTest {

  @TempDir Path dir;

  @Test
  void aLargeFileGoesUpInParallelPartsAndArrivesWholeAndInOrder() throws IOException {
    String bucket = "uploader-" + System.nanoTime();
    TestStack.s3().createBucket(b -> b.bucket(bucket));
    int part = 5 * 1024 * 1024; // S3's smallest part, which the local S3 enforces too
    OutputUploader uploader = new OutputUploader(TestStack.s3(), bucket, part);
    byte[] large = new byte[part * 2 + 1234]; // three parts, the last one short
    new Random(7).nextBytes(large);
    Path file = Files.write(dir.resolve("720p.mp4"), large);

    assertThat(uploader.upload(file, "processed/v/720p.mp4", "video/mp4")).isEqualTo(3);
    assertThat(TestStack.s3().getObjectAsBytes(b -> b.bucket(bucket).key("processed/v/720p.mp4")).asByteArray())
        .isEqualTo(large);
    assertThat(TestStack.s3().listMultipartUploads(b -> b.bucket(bucket)).uploads()).as("none left open").isEmpty();

    byte[] small = "a re-run's smaller output".getBytes();
    assertThat(uploader.upload(Files.write(file, small), "processed/v/720p.mp4", "video/mp4")).isEqualTo(1);
    assertThat(TestStack.s3().getObjectAsBytes(b -> b.bucket(bucket).key("processed/v/720p.mp4")).asByteArray())
        .isEqualTo(small);
  }
}
