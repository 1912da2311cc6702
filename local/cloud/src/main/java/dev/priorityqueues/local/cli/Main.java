package dev.priorityqueues.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./pq <command>}: the local cloud's commands. */
@Command(
    name = "pq",
    mixinStandardHelpOptions = true,
    description = "priority-queues on a local cloud: the real Pulumi program and handlers on local AWS-API servers.",
    subcommands = {
      DemoCommand.class,
      UpCommand.class,
      BenchCommand.class,
      DlqCommand.class,
      EraseUserCommand.class,
      FaultsCommand.class,
      TranscodeBenchCommand.class,
      ScaleBenchCommand.class,

    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = new CommandLine(new Main())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println(cmd.getColorScheme().errorText("error: " + message(e)));
          return 1;
        })
        .execute(args);
    System.exit(code);
  }

  static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: demo, up, bench, dlq or faults");
  }
}
