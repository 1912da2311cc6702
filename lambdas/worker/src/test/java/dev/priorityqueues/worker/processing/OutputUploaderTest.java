package dev.priorityqueues.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.EnvReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import dev.priorityqueues.local.servers.LocalAws;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs against S3Proxy: a large file goes up in parts sent side by side and arrives whole and
 * in order; a small one in one PUT; the same key again replaces the object; many files at once
 * never put more than {@link OutputUploader#STREAMS} requests in flight. Through the worker's own
 * S3 client, an upload neither copies its bytes on the heap nor leaves the file open. (Parts of
 * S3's smallest size, 5 MiB, keep the test small.)
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

  @Test
  void manyLargeFilesAtOnceKeepAtMostTheUploadersStreamsInFlight() throws Exception {
    String bucket = "uploader-streams-" + System.nanoTime();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    // The SDK's own hooks around each request's transmission: a count of the requests carrying
    // bytes (PutObject, UploadPart) on the wire; CreateMultipartUpload and the rest carry none.
    var onTheWire = new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
      private boolean carriesBytes(software.amazon.awssdk.core.SdkRequest request) {
        return request instanceof software.amazon.awssdk.services.s3.model.PutObjectRequest
            || request instanceof software.amazon.awssdk.services.s3.model.UploadPartRequest;
      }

      @Override
      public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
          software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
        if (carriesBytes(context.request())) {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        }
      }

      @Override
      public void afterTransmission(software.amazon.awssdk.core.interceptor.Context.AfterTransmission context,
          software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
        if (carriesBytes(context.request())) {
          inFlight.decrementAndGet();
        }
      }
    };
    LocalAws aws = LocalAws.shared();
    try (var s3 = software.amazon.awssdk.services.s3.S3Client.builder()
        .region(software.amazon.awssdk.regions.Region.of(LocalAws.REGION))
        .credentialsProvider(LocalAws.credentials())
        .endpointOverride(aws.s3Endpoint())
        .forcePathStyle(true)
        .overrideConfiguration(c -> c.addExecutionInterceptor(onTheWire))
        .build()) {
      s3.createBucket(b -> b.bucket(bucket));
      int part = 5 * 1024 * 1024;
      OutputUploader uploader = new OutputUploader(s3, bucket, part);
      byte[] bytes = new byte[part + 1]; // two parts each
      new Random(11).nextBytes(bytes);
      List<Future<Integer>> uploads = new ArrayList<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 4; i++) {
          Path file = Files.write(dir.resolve(i + ".mp4"), bytes);
          String key = "processed/v/" + i + ".mp4";
          uploads.add(pool.submit(() -> uploader.upload(file, key, "video/mp4")));
        }
        for (Future<Integer> upload : uploads) {
          assertThat(upload.get()).isEqualTo(2);
        }
      }
      assertThat(most.get()).as("8 parts were ready at once; at most the uploader's streams went out, side by side")
          .isBetween(2, OutputUploader.STREAMS);
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("processed/v/3.mp4")).asByteArray()).isEqualTo(bytes);
    }
  }

  @Test
  void theWorkersClientSendsAFileWithoutCopyingItsBytes() throws IOException {
    String bucket = "uploader-copies-" + System.nanoTime();
    try (AwsClients clients = new AwsClients(new EnvReader(LocalAws.shared().clientEnvironment()))) {
      clients.s3().createBucket(b -> b.bucket(bucket));
      byte[] bytes = new byte[12 * 1024 * 1024];
      new Random(3).nextBytes(bytes);
      Path file = Files.write(dir.resolve("720p.mp4"), bytes);
      // One PUT, sent on this (platform) thread, so its allocations are this thread's; the
      // server's are on its own threads. A warm-up first, so class loading is not counted.
      OutputUploader uploader = new OutputUploader(clients.s3(), bucket, 16L * 1024 * 1024);
      uploader.upload(file, "processed/v/warm.mp4", "video/mp4");
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long before = threads.getCurrentThreadAllocatedBytes();
      assertThat(uploader.upload(file, "processed/v/720p.mp4", "video/mp4")).isEqualTo(1);
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;

      // aws-chunked encoding copied each 128 KiB chunk into a fresh array: as many bytes as sent.
      assertThat(allocated).as("bytes allocated to send %d", bytes.length).isLessThan(bytes.length / 8);
      assertThat(openHandles(file)).as("descriptors still open on the uploaded file").isZero();
      assertThat(clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key("processed/v/720p.mp4")).asByteArray())
          .isEqualTo(bytes);
    }
  }

  @Test
  void partsLeaveNoFileHandleOpen() throws IOException {
    String bucket = "uploader-handles-" + System.nanoTime();
    try (AwsClients clients = new AwsClients(new EnvReader(LocalAws.shared().clientEnvironment()))) {
      clients.s3().createBucket(b -> b.bucket(bucket));
      int part = 5 * 1024 * 1024;
      byte[] bytes = new byte[part * 2 + 1];
      new Random(5).nextBytes(bytes);
      Path file = Files.write(dir.resolve("360p.mp4"), bytes);

      // The SDK reads each part twice (its checksum, then the send) and closes only the last stream.
      assertThat(new OutputUploader(clients.s3(), bucket, part).upload(file, "processed/v/360p.mp4", "video/mp4"))
          .isEqualTo(3);
      assertThat(openHandles(file)).as("descriptors still open on the uploaded file").isZero();
      assertThat(clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key("processed/v/360p.mp4")).asByteArray())
          .isEqualTo(bytes);
    }
  }

  @Test
  void primingStoresNothingAndLeavesNoUploadOpen() {
    String bucket = "uploader-prime-" + System.nanoTime();
    TestStack.s3().createBucket(b -> b.bucket(bucket));

    new OutputUploader(TestStack.s3(), bucket).prime();

    assertThat(TestStack.s3().listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    assertThat(TestStack.s3().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
  }

  /** This process's file descriptors that point at {@code file} (Linux's /proc). */
  private static long openHandles(Path file) throws IOException {
    Path real = file.toRealPath();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).equals(real);
        } catch (IOException gone) {
          return false; // closed while listed
        }
      }).count();
    }
  }
}
