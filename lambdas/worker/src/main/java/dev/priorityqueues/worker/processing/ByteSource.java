package dev.priorityqueues.worker.processing;

import java.util.Arrays;

/**
 * Random access to an object's bytes, so a parser reads only the headers it needs, wherever they
 * are (an MP4's {@code moov} box is often at the end, after gigabytes of media).
 */
public interface ByteSource {

  /** The object's size in bytes. */
  long size();

  /**
   * Up to {@code length} bytes from {@code offset}; fewer only at the end of the object.
   *
   * @throws PermanentFailure when the read is beyond what inspection allows
   */
  byte[] read(long offset, int length);

  /** A source over bytes in memory. */
  static ByteSource of(byte[] bytes) {
    return new ByteSource() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public byte[] read(long offset, int length) {
        if (offset < 0 || offset > bytes.length || length < 0) {
          throw new IllegalArgumentException("read(" + offset + ", " + length + ") of " + bytes.length + " bytes");
        }
        return Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(bytes.length, offset + length));
      }
    };
  }
}
