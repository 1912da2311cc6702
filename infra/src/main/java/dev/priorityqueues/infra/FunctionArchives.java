package dev.priorityqueues.infra;

import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.config.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * Finds each function's archive under the code root and checks it holds the function's handler.
 * Pulumi would upload a missing or wrong jar without complaint (and its mocks never open it), so
 * the program checks before it creates anything.
 */
public final class FunctionArchives {
  private FunctionArchives() {}

  /** Thrown when an archive is missing, unreadable or lacks its handler class. */
  public static final class MissingArchiveException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    MissingArchiveException(String message) {
      super(message);
    }
  }

  /** The archive of every function, each checked. */
  public static Map<Functions, Path> verify(Path codeRoot) {
    Map<Functions, Path> archives = new EnumMap<>(Functions.class);
    List<String> problems = new ArrayList<>();
    for (Functions function : Functions.all()) {
      Path archive = codeRoot.resolve(function.archive()).toAbsolutePath().normalize();
      check(function, archive).ifPresent(problems::add);
      archives.put(function, archive);
    }
    if (!problems.isEmpty()) {
      throw new MissingArchiveException(String.join("\n", problems)
          + "\nBuild the function archives first: run `mvn -B -DskipTests package` in " + codeRoot
          + " (the repository root), then run the program again.");
    }
    return archives;
  }

  /**
   * The FFmpeg layer archive for {@code architecture}, checked: it exists, holds bin/ffmpeg, and
   * is small enough to upload directly (Lambda takes at most 50 MB zipped that way).
   */
  public static Path verifyLayer(Path codeRoot, String architecture) {
    Path archive = codeRoot.resolve(Transcoding.layerArchive(architecture)).toAbsolutePath().normalize();
    String what = "the " + architecture + " FFmpeg layer archive " + archive;
    String problem = null;
    if (!Files.isRegularFile(archive)) {
      problem = what + " does not exist";
    } else {
      try (ZipFile zip = new ZipFile(archive.toFile())) {
        if (zip.getEntry(Transcoding.LAYER_BINARY) == null) {
          problem = what + " does not contain " + Transcoding.LAYER_BINARY;
        } else if (zip.getEntry(Transcoding.LAYER_CRYPTO_JAR) == null) {
          problem = what + " does not contain " + Transcoding.LAYER_CRYPTO_JAR;
        } else if (Files.size(archive) > Limits.LAYER_ZIP_DIRECT_UPLOAD_BYTES) {
          problem = what + " is " + Files.size(archive) + " bytes, over Lambda's "
              + Limits.LAYER_ZIP_DIRECT_UPLOAD_BYTES + " for a direct upload";
        }
      } catch (IOException e) {
        problem = what + " is not a readable zip: " + e.getMessage();
      }
    }
    if (problem != null) {
      throw new MissingArchiveException(problem + "\nBuild it first: run `mvn -B -DskipTests package` in " + codeRoot
          + " (the repository root), then run the program again.");
    }
    return archive;
  }

  private static Optional<String> check(Functions function, Path archive) {
    String what = "the " + function.id() + " function's archive " + archive;
    if (!Files.isRegularFile(archive)) {
      return Optional.of(what + " does not exist");
    }
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      if (zip.getEntry(function.handlerEntry()) == null) {
        return Optional.of(what + " does not contain its handler " + function.handlerEntry());
      }
    } catch (IOException e) {
      return Optional.of(what + " is not a readable jar: " + e.getMessage());
    }
    return Optional.empty();
  }
}
