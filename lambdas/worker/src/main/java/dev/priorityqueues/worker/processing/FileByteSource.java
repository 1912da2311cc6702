package dev.priorityqueues.worker.processing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file read with positional reads, so the container parser checks what FFmpeg wrote. */
public final class FileByteSource implements ByteSource {
  private final Path file;
  private final long size;

  public FileByteSource(Path file) {
    this.file = file;
    try {
      this.size = java.nio.file.Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public byte[] read(long offset, int length) {
    if (offset < 0 || offset > size || length < 0) {
      throw new IllegalArgumentException("read(" + offset + ", " + length + ") of " + size + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, size - offset));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
        // positional reads until the buffer is full or the file ends
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.array();
  }
}
