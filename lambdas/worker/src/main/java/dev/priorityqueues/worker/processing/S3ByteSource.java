package dev.priorityqueues.worker.processing;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 object read in 64 KiB ranged GETs, each block fetched at most once. Inspection needs a
 * few blocks (the start, and the {@code moov} box if it is elsewhere), so a multi-gigabyte
 * upload costs a few requests, not a download. The number of fetches is capped: a container
 * whose headers need more is refused rather than read whole.
 */
final class S3ByteSource implements ByteSource {

  static final int BLOCK = 64 * 1024;

  /** Enough for any sane header layout (e.g. a 2 MiB moov at the end of the file). */
  static final int MAX_FETCHES = 64;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final UploadVersion upload;
  private final Map<Long, byte[]> blocks = new HashMap<>();
  private long size = -1;
  private int fetches;
  /** The whole object, when the server answered a range request with all of it. */
  private byte[] whole;

  S3ByteSource(S3Client s3, String bucket, String key) {
    this(s3, bucket, UploadVersion.latest(key));
  }

  /** Every ranged read is of this one version, so blocks of two versions are never mixed. */
  S3ByteSource(S3Client s3, String bucket, UploadVersion upload) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = upload.key();
    this.upload = upload;
  }

  @Override
  public long size() {
    if (size < 0) {
      block(0);
    }
    return size;
  }

  int fetches() {
    return fetches;
  }

  @Override
  public byte[] read(long offset, int length) {
    long end = Math.min(size(), offset + length);
    if (offset < 0 || offset > end) {
      throw new IllegalArgumentException("read(" + offset + ", " + length + ") of " + size + " bytes");
    }
    if (whole != null) {
      return java.util.Arrays.copyOfRange(whole, (int) offset, (int) end);
    }
    byte[] out = new byte[(int) (end - offset)];
    long position = offset;
    while (position < end) {
      long index = position / BLOCK;
      byte[] block = block(index);
      int from = (int) (position - index * BLOCK);
      int count = (int) Math.min(block.length - from, end - position);
      System.arraycopy(block, from, out, (int) (position - offset), count);
      position += count;
    }
    return out;
  }

  private byte[] block(long index) {
    byte[] cached = blocks.get(index);
    if (cached != null) {
      return cached;
    }
    if (++fetches > MAX_FETCHES) {
      throw new NotAVideo("its headers are spread over more than " + MAX_FETCHES + " reads of " + BLOCK + " bytes");
    }
    long start = index * BLOCK;
    ResponseBytes<GetObjectResponse> response;
    try {
      response = s3.getObjectAsBytes(b -> upload.pin(b.bucket(bucket)).range("bytes=" + start + "-" + (start + BLOCK - 1)));
    } catch (S3Exception e) {
      if (e.statusCode() == 403) {
        throw new UploadReadDenied(key, e);
      }
      if (e.statusCode() == 416 && index == 0) {
        size = 0;
        blocks.put(0L, new byte[0]);
        return blocks.get(0L);
      }
      throw S3Reads.onGet(e, upload);
    }
    size = totalSize(response.response());
    byte[] bytes = response.asByteArray();
    if (response.response().contentRange() == null && bytes.length == size) {
      whole = bytes;
    }
    blocks.put(index, bytes);
    return bytes;
  }

  /** From {@code Content-Range: bytes 0-65535/123456}; a server that ignores ranges sends it all. */
  private static long totalSize(GetObjectResponse response) {
    String range = response.contentRange();
    if (range != null) {
      int slash = range.lastIndexOf('/');
      if (slash >= 0 && !range.endsWith("*")) {
        return Long.parseLong(range.substring(slash + 1).trim());
      }
    }
    return response.contentLength();
  }
}
