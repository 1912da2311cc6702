package dev.priorityqueues.worker.processing;

import dev.priorityqueues.contract.Keys;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Puts a file under a fixed key, so a re-run overwrites rather than adds. Files of
 * {@link #MULTIPART_THRESHOLD} or more go up in parts, each streamed from its region of the file
 * (never held in memory); a failed multipart upload is aborted so its parts are not kept. At most
 * {@link #STREAMS} requests carry bytes at once, whole files and parts together, whatever the
 * number and size of the outputs: each stream holds SDK and socket buffers, so the heap stays
 * flat as the outputs grow.
 */
final class OutputUploader {

  /** S3 parts are at least 5 MiB (but the last); 16 MiB keeps a 10 GB /tmp file under 640 parts. */
  static final long PART_BYTES = 16L * 1024 * 1024;
  static final long MULTIPART_THRESHOLD = PART_BYTES;
  /** Uploads (single PUTs and parts) in flight at once, for all the files of this uploader. */
  static final int STREAMS = 4;

  private final S3Client s3;
  private final String bucket;
  private final long partBytes;
  private final Semaphore streams = new Semaphore(STREAMS);

  OutputUploader(S3Client s3, String bucket) {
    this(s3, bucket, PART_BYTES);
  }

  /** {@code partBytes} must be at least S3's 5 MiB minimum (the local S3 enforces it too). */
  OutputUploader(S3Client s3, String bucket, long partBytes) {
    this.s3 = s3;
    this.bucket = bucket;
    this.partBytes = partBytes;
  }

  /** @return the number of parts (1 for a single PUT) */
  int upload(Path file, String key, String contentType) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (size < Math.max(partBytes, 1)) {
      streams.acquireUninterruptibly();
      try {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
      } finally {
        streams.release();
      }
      return 1;
    }
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
    // Parts go up side by side, within the uploader's streams: each streams its own region of
    // the file, so the heap holds no part whatever the file's size.
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<CompletedPart>> pending = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < size; offset += partBytes, number++) {
        long length = Math.min(partBytes, size - offset);
        long from = offset;
        int partNumber = number;
        pending.add(pool.submit(() -> {
          streams.acquire();
          try (PartBody body = new PartBody(file, from, length)) {
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                    .contentLength(length),
                RequestBody.fromContentProvider(body, length, contentType)).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
          } finally {
            streams.release();
          }
        }));
      }
      List<CompletedPart> parts = new ArrayList<>();
      for (Future<CompletedPart> part : pending) {
        parts.add(join(part));
      }
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts)));
      return parts.size();
    } catch (RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
      } catch (RuntimeException abortFailed) {
        e.addSuppressed(abortFailed);
      }
      throw e;
    }
  }

  /**
   * Loads the multipart path, first taken by an output of {@link #MULTIPART_THRESHOLD} or more,
   * so SnapStart snapshots it and no job pays for it. The SDK's model classes build their field
   * tables when first used: a warm worker's first multipart upload allocated 15 MB doing so
   * (measured), where a small job allocates 1 MB in all. Completing an upload that does not exist
   * stores nothing (S3 answers NoSuchUpload) and warms the request path and the XML parser.
   */
  void prime() {
    CreateMultipartUploadRequest.builder().build();
    CreateMultipartUploadResponse.builder().build();
    UploadPartRequest.builder().build();
    UploadPartResponse.builder().build();
    CompleteMultipartUploadResponse.builder().build();
    try {
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(Keys.PRIME_PROCESSED_KEY).uploadId("prime")
          .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag("prime").build())));
    } catch (NoSuchUploadException expected) {
      // The answer priming asks for.
    }
  }

  /** The result of a task run on another thread, its failure rethrown as it was. */
  static <T> T join(Future<T> task) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while uploading", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * The bytes of one part of the file. The SDK asks for a fresh stream for each read of the body
   * (once for its checksum, again to send it, again on a retry) and closes only the last, so each
   * new stream closes the one before, and {@link #close} the last: no file handle outlives the
   * part.
   */
  static final class PartBody implements ContentStreamProvider, AutoCloseable {
    private final Path file;
    private final long offset;
    private final long length;
    private InputStream current;

    PartBody(Path file, long offset, long length) {
      this.file = file;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public synchronized InputStream newStream() {
      close();
      try {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(offset);
        current = new BoundedStream(Channels.newInputStream(channel), length);
        return current;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void close() {
      if (current != null) {
        try {
          current.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        current = null;
      }
    }
  }

  /** A stream that ends after {@code left} bytes of the one it wraps. */
  private static final class BoundedStream extends FilterInputStream {
    private long left;

    BoundedStream(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(buffer, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
