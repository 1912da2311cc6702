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
    return extract(codeRoot, architecture, Transcoding.LAYER_BINARY, true);
  }

  /**
   * The unpacked java/lib jar of the layer's crypto provider, for a worker JVM to put on its
   * classpath as Lambda's Java runtime does.
   */
  public static synchronized Path cryptoJar(Path codeRoot, String architecture) {
    return extract(codeRoot, architecture, Transcoding.LAYER_CRYPTO_JAR, false);
  }

  private static Path extract(Path codeRoot, String architecture, String entryName, boolean executable) {
    String machine = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String here = machine.equals("amd64") || machine.equals("x86_64") ? "x86_64"
        : machine.equals("aarch64") || machine.equals("arm64") ? "arm64" : machine;
    if (!here.equals(architecture)) {
      throw new IllegalStateException("workerArchitecture is " + architecture + " but this machine is " + here
          + ": the local cloud runs the layer's ffmpeg itself; set workerArchitecture to " + here + " locally");
    }
    Path archive = FunctionArchives.verifyLayer(codeRoot, architecture);
    Path opt = archive.resolveSibling("opt-" + architecture);
    Path target = opt.resolve(entryName);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      ZipEntry entry = zip.getEntry(entryName);
      if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()
          && Files.getLastModifiedTime(target).toMillis() >= Files.getLastModifiedTime(archive).toMillis()) {
        return target;
      }
      Files.createDirectories(target.getParent());
      Path partial = target.resolveSibling(target.getFileName() + ".partial");
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      if (executable) {
        partial.toFile().setExecutable(true);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + archive + ": " + e.getMessage(), e);
    }
  }
}
