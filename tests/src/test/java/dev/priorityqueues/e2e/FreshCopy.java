package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.local.cloud.LocalStacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A fresh copy of the repository, as a new user has it after cloning and running the README's
 * build step ({@code mvn -B -DskipTests package}): every file git knows (tracked, or new and not
 * ignored), no target directory, nothing installed. Built once per test JVM and shared by the tests
 * that run commands exactly as users and Pulumi run them.
 *
 * <p>Offline by the machine, not by the command lines: every process gets
 * {@code MAVEN_OPTS=-Duser.home=<dir>}, whose {@code .m2/settings.xml} says {@code <offline>} and
 * points at this build's local repository. So the command lines stay exactly as written, and a
 * dependency the build has not already resolved fails instead of being downloaded.
 */
final class FreshCopy {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");
  private static Path root;

  private FreshCopy() {}

  /** The copy's root, built with the README's build step. */
  static synchronized Path built() {
    if (root == null) {
      try {
        root = create();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return root;
  }

  private static Path create() throws IOException {
    Path source = LocalStacks.projectDir();
    Path work = Path.of("target").toAbsolutePath();
    Path copy = work.resolve("fresh-copy");
    deleteTree(copy);
    Files.createDirectories(copy);
    Result files = run(source, Duration.ofMinutes(1), "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard");
    assertThat(files.exit()).as("git ls-files in %s: %s", source, files.stderr()).isZero();
    for (String name : files.stdout().split("\0")) {
      Path from = source.resolve(name);
      if (name.isEmpty() || !Files.isRegularFile(from)) {
        continue; // deleted in the working tree
      }
      Path to = copy.resolve(name);
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
      to.toFile().setLastModified(System.currentTimeMillis()); // a clone's files are older than its build
    }
    Path home = work.resolve("fresh-home");
    Files.createDirectories(home.resolve(".m2"));
    String repository = System.getProperty("pq.localRepository");
    assertThat(repository).as("system property pq.localRepository (set by tests/pom.xml)").isNotBlank();
    Files.writeString(home.resolve(".m2/settings.xml"), "<settings>\n  <offline>true</offline>\n  <localRepository>"
        + repository + "</localRepository>\n</settings>\n");
    Result build = run(copy, Duration.ofMinutes(20), "mvn", "-B", "-DskipTests", "package");
    assertThat(build.exit()).as("the README's build step in %s:%n%s", copy, build.tail()).isZero();
    return copy;
  }

  /** A command's exit code and output, ANSI colours removed. */
  record Result(int exit, String stdout, String stderr) {
    String all() {
      return stdout + stderr;
    }

    /** The last lines of both streams, for assertion messages. */
    String tail() {
      String text = all();
      return text.substring(Math.max(0, text.length() - 6000));
    }
  }

  /** Runs a command in the copy, as a user at a shell would, with the offline Maven settings. */
  static Result run(Duration timeout, String... command) {
    return run(built(), timeout, command);
  }

  static Result run(Path dir, Duration timeout, String... command) {
    try {
      Process process = start(dir, List.of(command));
      Path out = Files.createTempFile("pq-out", ".txt");
      Path err = Files.createTempFile("pq-err", ".txt");
      Thread o = Thread.ofVirtual().start(() -> copy(process, true, out));
      Thread e = Thread.ofVirtual().start(() -> copy(process, false, err));
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        o.join();
        e.join();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
            + ":\n" + clean(Files.readString(out)) + clean(Files.readString(err)));
      }
      o.join();
      e.join();
      Result result = new Result(process.exitValue(), clean(Files.readString(out)), clean(Files.readString(err)));
      Files.delete(out);
      Files.delete(err);
      return result;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Starts a long-running command that the caller stops; its output goes to {@code log}. */
  static Process start(Path dir, List<String> command, Path log) throws IOException {
    return builder(dir, command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static Process start(Path dir, List<String> command) throws IOException {
    return builder(dir, command).start();
  }

  private static ProcessBuilder builder(Path dir, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("PULUMI_")); // no engine, as on a fresh machine
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("MAVEN_OPTS", (env.getOrDefault("MAVEN_OPTS", "") + " -Duser.home="
        + Path.of("target/fresh-home").toAbsolutePath()).strip());
    return builder;
  }

  static String clean(String text) {
    return ANSI.matcher(text).replaceAll("");
  }

  private static void copy(Process process, boolean stdout, Path file) {
    try (var in = stdout ? process.getInputStream() : process.getErrorStream()) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.toList());
      Collections.reverse(all);
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }
}
