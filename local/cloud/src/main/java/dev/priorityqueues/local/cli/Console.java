package dev.priorityqueues.local.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;

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

  /**
   * An option's value outside its range is a usage error: picocli prints the message and the
   * command's usage and exits with 2, before anything starts.
   */
  static void requireRange(CommandLine.Model.CommandSpec spec, String option, long value, long min, long max) {
    requireRange(spec, option, value, min, max, "");
  }

  /** The same, with the unit the range is in ("seconds"). */
  static void requireRange(CommandLine.Model.CommandSpec spec, String option, long value, long min, long max, String unit) {
    if (value < min || value > max) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          option + " must be from " + min + " to " + max + (unit.isEmpty() ? "" : " " + unit) + ", not " + value);
    }
  }

  /** A plain-ASCII progress bar on the terminal, its task name padded to {@code width} so bars line up. */
  /**
   * Asks the user to type {@code expected} to go ahead with something that cannot be undone; on
   * any other answer, says that {@code undone} and returns false.
   */
  static boolean confirmed(java.io.PrintWriter out, String prompt, String expected, String undone)
      throws java.io.IOException {
    out.print(prompt);
    out.flush();
    String answer = new java.io.BufferedReader(
        new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
    if (expected.equals(answer == null ? null : answer.trim())) {
      return true;
    }
    out.println("Not confirmed: " + undone + ".");
    out.flush();
    return false;
  }

  static ProgressBar bar(PrintStream terminal, String task, int width, long max) {
    return new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "%-" + width + "s", task)).setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(terminal)).build();
  }
}
