package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What `pulumi up` runs, run exactly as Pulumi's Java host runs it (pulumi-java's Maven executor),
 * in the root of a fresh copy after the README's build step. There is no Pulumi engine here, so the
 * program must get as far as Pulumi's own "no engine" error, and no further.
 */
class PulumiHostTest {

  @Test
  void theProgramStartsAppInTheInfraModuleOnlyAndStopsOnlyForTheMissingEngine() {
    FreshCopy.Result run = FreshCopy.run(Duration.ofMinutes(10),
        "mvn", "--no-transfer-progress", "compile", "exec:java");
    String log = run.all();

    assertThat(run.exit()).as(run.tail()).isNotZero();
    assertThat(log).as("every module resolves its dependencies").doesNotContain("Could not resolve dependencies");
    // Pulumi's own message for a program started without an engine, raised from App.main.
    assertThat(log).contains("Program run without the Pulumi engine available; re-run using the `pulumi` CLI")
        .contains("expected environment variable: 'PULUMI_MONITOR'")
        .contains("at dev.priorityqueues.infra.App.main");
    // The one failure is exec:java in pq-infra; every module before it skipped exec:java.
    List<String> failures = matches(log, "Failed to execute goal (\\S+) \\(\\S+\\) on project (\\S+):");
    assertThat(failures).containsExactly("org.codehaus.mojo:exec-maven-plugin:3.5.0:java pq-infra");
    List<String> execs = matches(log, "--- exec-maven-plugin:\\S+:java \\(default-cli\\) @ (\\S+) ---");
    assertThat(execs).contains("pq-contract", "pq-lambda-common", "pq-presign", "pq-router", "pq-worker", "pq-infra")
        .endsWith("pq-infra");
    assertThat(count(log, "skipping execute as per configuration")).isEqualTo(execs.size() - 1);
  }

  @Test
  void discoveryPrintsTheRequiredPackagesWithAwsAtThePomsVersion() throws Exception {
    FreshCopy.Result run = FreshCopy.run(Duration.ofMinutes(10),
        "mvn", "-Dorg.slf4j.simpleLogger.logFile=System.err", "--no-transfer-progress", "compile", "exec:java",
        "-DmainClass=com.pulumi.bootstrap.internal.Main", "-DmainArgs=packages");

    assertThat(run.exit()).as(run.tail()).isZero();
    // Pulumi reads the packages from standard output: it must hold the JSON and nothing else.
    String stdout = run.stdout().strip();
    assertThat(stdout.lines()).as(stdout).hasSize(1);
    JsonNode packages = new ObjectMapper().readTree(stdout);
    assertThat(packages.isArray()).as(stdout).isTrue();
    List<String> found = new ArrayList<>();
    packages.forEach(p -> found.add(p.path("name").asText() + "@" + p.path("version").asText()
        + (p.path("resource").asBoolean() ? "" : " (not a resource plugin)")));
    String awsVersion = System.getProperty("pq.pulumiAwsVersion");
    assertThat(awsVersion).as("system property pq.pulumiAwsVersion (set by tests/pom.xml)").isNotBlank();
    assertThat(found).contains("aws@" + awsVersion);
  }

  private static List<String> matches(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      List<String> groups = new ArrayList<>();
      for (int g = 1; g <= m.groupCount(); g++) {
        groups.add(m.group(g));
      }
      found.add(String.join(" ", groups));
    }
    return found;
  }

  private static int count(String text, String needle) {
    return matches(text, Pattern.quote(needle)).size();
  }
}
