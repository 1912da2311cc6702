package dev.priorityqueues.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** A bad option is a usage error, found before any server starts or any run is measured. */
class UsageErrorsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "demo --videos 0                                 | --videos must be from 1 to 2000, not 0",
      "faults --clients 65                             | --clients must be from 1 to 64, not 65",
      "bench --slots 1                                 | --slots must be from 2 to 256, not 1",
      "bench --scale 0                                 | --scale must be above 0 and at most 20, not 0.0",
      "bench --scenario regular-burst,three-tiers --caps 8,8 | --caps '8,8' names 2 caps; scenario three-tiers has 3 tiers",
      "bench --flows fastest                           | flow must be one of queue-level, consumer-level, highest-first, not 'fastest'",
      "bench --lend-tokens 0,11                        | --lend-tokens must be from 0 to 10, not 11",
      "dlq peek premium --local --max 0                | --max must be from 1 to 100, not 0",
      "dlq redrive premium --local --rate 501          | --rate must be from 1 to 500 messages per second, not 501",
  })
  void aBadOptionPrintsItsRangeAndTheUsage(String args, String message) {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
        .execute(args.trim().split("\\s+"));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains(message.trim()).contains("Usage: pq " + args.trim().split(" ")[0]);
  }
}
