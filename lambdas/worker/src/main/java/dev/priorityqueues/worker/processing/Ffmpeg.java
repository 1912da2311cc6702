package dev.priorityqueues.worker.processing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the ffmpeg binary as a child process with a deadline. Its stderr goes to a file in the
 * job's scratch directory (so a chatty failure cannot fill the heap), and its last lines become
 * the failure's reason.
 */
public final class Ffmpeg {

  /** How much of FFmpeg's stderr a reason quotes. */
  static final int REASON_CHARS = 600;

  private final Path binary;

  public Ffmpeg(Path binary) {
    this.binary = binary;
  }

  public Path binary() {
    return binary;
  }

  /** FFmpeg ran past its deadline and was killed. */
  public static final class Overrun extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Overrun(String message) {
      super(message);
    }
  }

  /** FFmpeg exited with an error; {@link #reason()} is what it said. */
  public static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Failed(int exitCode, String reason) {
      super("ffmpeg exited with " + exitCode + ": " + reason);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /**
   * Runs {@code ffmpeg <args>} in {@code workDir} and waits at most {@code timeoutMillis}.
   *
   * @throws Overrun when it is still running then (it is killed first)
   * @throws Failed when it exits with an error
   */
  public void run(List<String> args, Path workDir, long timeoutMillis) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y"));
    command.addAll(args);
    Path log = workDir.resolve("ffmpeg-" + System.nanoTime() + ".log");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(log.toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start ffmpeg at " + binary + ": " + e.getMessage(), e);
    }
    try {
      if (!process.waitFor(Math.max(0, timeoutMillis), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new Overrun("ffmpeg was still running after " + timeoutMillis + " ms and was stopped before the"
            + " function's deadline");
      }
      if (process.exitValue() != 0) {
        throw new Failed(process.exitValue(), tail(log));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while ffmpeg ran", e);
    } finally {
      // Read or not needed: the log goes, so a directory that outlives the run keeps only outputs.
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // A job's directory is removed after it anyway.
      }
    }
  }

  /** The end of the log, on one line. */
  static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8).strip().replaceAll("\\s*\\n\\s*", " | ");
      return text.isEmpty() ? "(no message)"
          : text.length() <= REASON_CHARS ? text : "…" + text.substring(text.length() - REASON_CHARS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
