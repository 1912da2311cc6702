package dev.priorityqueues.local.cloud;

import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.FunctionArchives;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The worker's FFmpeg layer, unpacked the way Lambda unpacks a layer under /opt: the same archive
 * the program deploys, into a directory of this machine, so the local worker runs the very
 * binary the cloud one does.
 */
public final class FfmpegLayer {
  private FfmpegLayer() {}

  /** The unpacked bin/ffmpeg of the archive for {@code architecture}, which must be this machine's. */
  public static synchronized Path unpack(Path codeRoot, String architecture) {
    String machine = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String here = machine.equals("amd64") || machine.equals("x86_64") ? "x86_64"
        : machine.equals("aarch64") || machine.equals("arm64") ? "arm64" : machine;
    if (!here.equals(architecture)) {
      throw new IllegalStateException("workerArchitecture is " + architecture + " but this machine is " + here
          + ": the local cloud runs the layer's ffmpeg itself; set workerArchitecture to " + here + " locally");
    }
    Path archive = FunctionArchives.verifyLayer(codeRoot, architecture);
    Path opt = archive.resolveSibling("opt-" + architecture);
    Path binary = opt.resolve(Transcoding.LAYER_BINARY);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      ZipEntry entry = zip.getEntry(Transcoding.LAYER_BINARY);
      if (Files.isRegularFile(binary) && Files.size(binary) == entry.getSize()
          && Files.getLastModifiedTime(binary).toMillis() >= Files.getLastModifiedTime(archive).toMillis()) {
        return binary;
      }
      Files.createDirectories(binary.getParent());
      Path partial = binary.resolveSibling("ffmpeg.partial");
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      partial.toFile().setExecutable(true);
      Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + archive + ": " + e.getMessage(), e);
    }
  }
}
