package dev.priorityqueues.local.cli;

import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.deploy.Declared;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Prints what a local deploy produced, the way `pulumi stack output` and a resource list would. */
final class StackPrinter {
  private StackPrinter() {}

  static void startTimes(PrintStream out, LocalCloud cloud) {
    LocalCloud.StartTimes t = cloud.startTimes();
    out.printf(Locale.ROOT,
        "Local cloud up in %.1f s: servers %.1f s in parallel (slowest alone %.1f s), deploy %.1f s, wiring %.2f s%n",
        t.total().toMillis() / 1000.0, t.servers().total().toMillis() / 1000.0,
        t.servers().slowestServer().toMillis() / 1000.0, t.deploy().toMillis() / 1000.0, t.wiring().toMillis() / 1000.0);
  }

  static void outputs(PrintStream out, LocalCloud cloud) {
    out.println("\nCurrent stack outputs (" + cloud.outputs().size() + "):");
    out.printf("    %-18s %s%n", "OUTPUT", "VALUE");
    for (Map.Entry<String, Object> output : new TreeMap<>(cloud.outputs()).entrySet()) {
      out.printf("    %-18s %s%n", output.getKey(), output.getValue());
    }
  }

  static void resources(PrintStream out, LocalCloud cloud) {
    List<Declared.Resource> resources = cloud.resources();
    long emulated = resources.stream().filter(Declared.Resource::emulated).count();
    out.printf("%nResources: %d declared, %d run locally, %d declared but not emulated:%n",
        resources.size(), emulated, resources.size() - emulated);
    Map<String, Long> declaredOnly = resources.stream().filter(r -> !r.emulated())
        .collect(Collectors.groupingBy(r -> shortType(r.type()) + " — " + r.note(), TreeMap::new, Collectors.counting()));
    declaredOnly.forEach((what, count) -> out.printf("    %3d × %s%n", count, what));
    cloud.iam().ifPresent(iam -> out.println("    IAM role policies are enforced on every function call."));
  }

  private static String shortType(String type) {
    int colon = type.lastIndexOf(':');
    return colon < 0 ? type : type.substring(0, type.indexOf('/') < 0 ? colon : type.indexOf('/')) + "/" + type.substring(colon + 1);
  }
}
