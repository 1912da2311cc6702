package dev.priorityqueues.infra.testing;

import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Transcoding;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Tiny stand-ins for the function jars: the tests never need the real ones. */
public final class FakeArchives {
  private FakeArchives() {}

  /** A code root under {@code dir} holding a jar with its handler class for every function. */
  public static Path complete(Path dir) {
    for (Functions function : Functions.all()) {
      write(dir.resolve(function.archive()), function.handlerEntry());
    }
    for (String architecture : Transcoding.ARCHITECTURES) {
      write(dir.resolve(Transcoding.layerArchive(architecture)), Transcoding.LAYER_BINARY,
          Transcoding.LAYER_CRYPTO_JAR);
    }
    return dir;
  }

  /** Writes a jar at {@code jar} that holds only {@code entries}. */
  public static void write(Path jar, String... entries) {
    try {
      Files.createDirectories(jar.getParent());
      try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
        for (String entry : entries) {
          zip.putNextEntry(new ZipEntry(entry));
          zip.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
          zip.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
