package dev.priorityqueues.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.LocalStacks;
import dev.priorityqueues.local.web.WebPage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pq up}: the local cloud, running until Ctrl-C, for trying the API by hand. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start the local cloud with a stack's config and keep it running until Ctrl-C (or for --for seconds).")
public final class UpCommand implements Callable<Integer> {

  /** Where a running local cloud describes itself, for other commands (./pq dlq <command> --local). */
  static Path stackFile() {
    return LocalStacks.projectDir().resolve("local/cloud/work/local-stack.json");
  }

  @Option(names = "--stack", defaultValue = "dev", description = "Stack file to deploy (default: ${DEFAULT-VALUE}).")
  String stack;

  @Option(names = "--for", paramLabel = "<seconds>",
      description = "Stop by itself this many seconds after it is up, 1 to 86400 (default: run until Ctrl-C).")
  Integer lifetimeSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (lifetimeSeconds != null) {
      Console.requireRange(spec, "--for", lifetimeSeconds, 1, 86_400);
    }
    PrintStream console = Console.quietFunctions(Path.of("local/cloud/work/up-functions.log"));
    Path projectDir = LocalStacks.projectDir();
    // The page's port is bound first: its origin joins the stack's corsAllowedOrigins.
    WebPage page = new WebPage();
    Settings configured = LocalStacks.settings(projectDir, stack, Map.of());
    List<String> origins = new ArrayList<>(configured.api().corsAllowedOrigins());
    origins.add(page.origin());
    Settings settings = LocalStacks.settings(projectDir, stack,
        Map.of(ConfigKey.CORS_ALLOWED_ORIGINS.key(), new ObjectMapper().writeValueAsString(origins)));
    console.println("Starting the local cloud and deploying Pulumi." + stack + ".yaml ...");
    LocalCloud cloud = LocalCloud.start(LocalStacks.options(stack, settings));
    List<WebPage.User> users = users(settings);
    WebPage.seed(cloud, users);
    page.attach(cloud, users);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      page.close();
      cloud.close();
      try {
        Files.deleteIfExists(stackFile());
      } catch (Exception ignored) {
        // best effort
      }
      stopped.countDown();
    }));
    StackPrinter.startTimes(console, cloud);
    StackPrinter.outputs(console, cloud);
    StackPrinter.resources(console, cloud);
    describe(cloud, stackFile());
    String token = cloud.identity().issue("local-user", Duration.ofHours(12));
    console.println("\nTry it (the token is valid for 12 hours, user 'local-user'):");
    console.println("    curl -s -X POST '" + cloud.output("uploadEndpoint") + "' \\");
    console.println("      -H 'Authorization: Bearer " + token + "' \\");
    console.println("      -d '{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\",\"sizeBytes\":1024}'");
    console.println("then PUT the file to the answer's url with every header it lists (the URL is single-use:");
    console.println("a second PUT gets 412 PreconditionFailed):");
    console.println("    curl -s -X PUT -T clip.mp4 -H 'Content-Type: video/mp4' -H 'If-None-Match: *' '<url>'");
    console.println("\nOr open the upload page: " + page.origin() + "/ (users "
        + users.stream().map(u -> u.userId() + " (" + u.subscription() + ")").toList() + ")");
    if (lifetimeSeconds == null) {
      console.println("\nFunction logs: local/cloud/work/up-functions.log. Press Ctrl-C to stop.");
      stopped.await();
    } else {
      console.println("\nFunction logs: local/cloud/work/up-functions.log. Stopping in " + lifetimeSeconds
          + " s (or on Ctrl-C).");
      if (!stopped.await(lifetimeSeconds, TimeUnit.SECONDS)) {
        console.println("Stopped after " + lifetimeSeconds + " s.");
      }
      // Main exits, and the shutdown hook stops the servers and removes the stack file.
    }
    return 0;
  }

  /** One seeded user per tier, on the tier's first subscription: the page signs in as them. */
  static List<WebPage.User> users(Settings settings) {
    List<WebPage.User> users = new ArrayList<>();
    for (Settings.Tier tier : settings.tiers()) {
      if (!tier.subscriptions().isEmpty()) {
        String subscription = tier.subscriptions().get(0);
        users.add(new WebPage.User(subscription + "-user", subscription));
      }
    }
    return users;
  }

  /** Writes the outputs and the endpoints for other local commands. */
  public static void describe(LocalCloud cloud, Path file) throws Exception {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("outputs", cloud.outputs());
    description.put("environment", cloud.aws().clientEnvironment());
    Files.createDirectories(file.toAbsolutePath().getParent());
    // It holds this run's S3Proxy key pair: readable by its owner only, from its first byte.
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(description));
  }
}
