package dev.priorityqueues.local.cli;

import dev.priorityqueues.local.faults.FaultPlan;
import dev.priorityqueues.local.faults.FaultRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pq faults}: uploads under injected faults, then the nothing-lost accounting. */
@Command(name = "faults", mixinStandardHelpOptions = true,
    description = "Upload through the real path while faults are injected, then account for every upload.")
public final class FaultsCommand implements Callable<Integer> {

  @Option(names = "--uploads", defaultValue = "5000", description = "Uploads, 10 to 100000 (default: ${DEFAULT-VALUE}).")
  int uploads;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the fault generator (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--clients", defaultValue = "8", description = "Concurrent uploading clients, 1 to 64 (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--stack", defaultValue = "dev", description = "Stack file to deploy (default: ${DEFAULT-VALUE}).")
  String stack;

  @Option(names = "--report", description = "Also write the accounting as Markdown to this file.")
  Path report;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Console.requireRange(spec, "--uploads", uploads, 10, 100_000);
    Console.requireRange(spec, "--clients", clients, 1, 64);
    PrintStream console = Console.quietFunctions(Path.of("local/cloud/work/faults-functions.log"));
    FaultRun.Options options =
        new FaultRun.Options(stack, uploads, seed, FaultPlan.Rates.standard(), clients, Duration.ofMinutes(15),
            FaultRun.Options.WORKER_TIMEOUT_SECONDS);
    console.println("Fault injection: " + uploads + " uploads, seed " + seed + ", rates " + options.rates());
    FaultRun.Accounting a;
    try (ProgressBar up = Console.bar(console, "Uploaded", 9, uploads); ProgressBar done = Console.bar(console, "Done", 9, uploads)) {
      a = FaultRun.run(options, up::stepTo, done::stepTo);
    }
    String text = render(a, options);
    console.println();
    console.print(text);
    if (report != null) {
      Files.createDirectories(report.toAbsolutePath().getParent());
      Files.writeString(report, "# Fault injection: nothing lost\n\nMeasured " + LocalDate.now() + " on "
          + Runtime.getRuntime().availableProcessors() + " cores with:\n\n```bash\n./pq faults --uploads " + uploads
          + " --seed " + seed + " --clients " + clients + (stack.equals("dev") ? "" : " --stack " + stack) + "\n```\n\n```\n" + text + "```\n");
      console.println("Report: " + report);
    }
    return a.clean() ? 0 : 1;
  }

  static String render(FaultRun.Accounting a, FaultRun.Options options) {
    StringBuilder out = new StringBuilder();
    out.append("Faults injected:\n");
    for (Map.Entry<String, Long> fault : a.faults().entrySet()) {
      out.append(String.format(Locale.ROOT, "  %-58s %6d%n", fault.getKey(), fault.getValue()));
    }
    out.append(String.format(Locale.ROOT, "  %-58s %6d%n", "duplicate EventBridge delivery", a.duplicatedEvents()));
    out.append(String.format(Locale.ROOT, "Recovery: %d presign/PUT retries by clients, %d events replayed from the events DLQ%n",
        a.uploadRetries(), a.eventsReplayed()));
    out.append("Accounting:\n");
    out.append(String.format(Locale.ROOT, "  uploads                 %6d%n", a.uploads()));
    out.append(String.format(Locale.ROOT, "  DONE                    %6d  (%d completions, %d result objects, %d result writes)%n",
        a.done(), a.completions(), a.resultObjects(), a.resultWrites()));
    out.append(String.format(Locale.ROOT, "  poison injected         %6d%n", a.poisonInjected()));
    out.append(String.format(Locale.ROOT, "  poison in DLQ w/ reason %6d%n", a.poisonInDlqWithReason()));
    out.append(String.format(Locale.ROOT, "  lost                    %6d%n", a.lost()));
    out.append(String.format(Locale.ROOT, "  double effects          %6d%n", a.doubleEffects()));
    out.append(String.format(Locale.ROOT, "  took                    %6.1f s%n", a.took().toMillis() / 1000.0));
    a.problems().stream().limit(20).forEach(p -> out.append("  PROBLEM ").append(p).append('\n'));
    out.append(a.clean() ? "Nothing lost, nothing done twice.\n" : "THE ACCOUNTING FAILED.\n");
    return out.toString();
  }

}
