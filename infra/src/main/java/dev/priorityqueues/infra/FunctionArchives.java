package dev.priorityqueues.infra;

import dev.priorityqueues.contract.Functions;
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
