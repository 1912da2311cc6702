package dev.priorityqueues.local.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The terminal, kept for the commands' own output while function logs go to a file. */
final class Console {
  private Console() {}

  /**
   * Sends standard output — where functions write their JSON logs, as on Lambda — to
   * {@code logFile}, and returns the real terminal for the command's own output.
   */
  static PrintStream quietFunctions(Path logFile) {
    PrintStream terminal = System.out;
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      System.setOut(new PrintStream(new FileOutputStream(logFile.toFile(), false), true, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the function log " + logFile + ": " + e.getMessage(), e);
    }
    return terminal;
  }
}
