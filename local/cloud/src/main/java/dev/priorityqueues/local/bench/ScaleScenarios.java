package dev.priorityqueues.local.bench;

import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.local.sqs.MappingScaling;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The at-scale benchmark's traces and mapping configurations. Times are built in AWS time and
 * then divided by the run's time scale, so a run at scale {@code f} replays the same trace
 * {@code f} times faster, with the mappings' ramp {@code f} times faster too.
 */
public final class ScaleScenarios {
  private ScaleScenarios() {}

  /** Premium's steady share of the slots' capacity in the burst scenario. */
  static final double PREMIUM_SHARE = 0.05;

  /**
   * A regular burst of {@code burstJobs} within 5 s while premium arrives steadily at 5% of the
   * slots' capacity, until one on-demand mapping's ramp (5, +300/min) would have worked the burst off.
   */
  public static Scenario regularBurst(int slots, long serviceMillisAws, int burstJobs, double timeScale, long seed) {
    Random random = new Random(seed);
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < burstJobs; i++) {
      drafts.add(new Draft(random.nextDouble() * 5_000, 1, "regular", "regular-user-" + random.nextInt(500)));
    }
    double rampSeconds = rampMakespanSeconds(slots, burstJobs * serviceMillisAws / 1000.0);
    double perSecond = PREMIUM_SHARE * slots * 1000.0 / serviceMillisAws;
    double t = 0;
    while (true) {
      t += -Math.log(1 - random.nextDouble()) / perSecond * 1000;
      if (t > rampSeconds * 1000) {
        break;
      }
      drafts.add(new Draft(t, 0, "premium", "premium-user-" + random.nextInt(100)));
    }
    String description = String.format(java.util.Locale.ROOT,
        "%d regular jobs arrive within 5 s (%.1f S of work for all %d slots; one mapping's ramp needs about %.0f s for it) "
            + "while premium arrives steadily at %.0f%% of the slots' capacity (%.2f jobs/s) for those %.0f s",
        burstJobs, burstJobs / (double) slots, slots, rampSeconds, PREMIUM_SHARE * 100, perSecond, rampSeconds, rampSeconds);
    return new Scenario("regular-burst-at-scale", description, twoTiers(slots), index(drafts, timeScale));
  }

  /**
   * A regular backlog of {@code backlogJobs} within 5 s, and 60 s later (while the regular mapping
   * is still ramping and its backlog waits) a sudden surge of {@code surgeJobs} premium jobs within 2 s.
   */
  public static Scenario premiumSurge(int slots, int backlogJobs, int surgeJobs, double timeScale, long seed) {
    Random random = new Random(seed);
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < backlogJobs; i++) {
      drafts.add(new Draft(random.nextDouble() * 5_000, 1, "regular", "regular-user-" + random.nextInt(500)));
    }
    for (int i = 0; i < surgeJobs; i++) {
      drafts.add(new Draft(60_000 + random.nextDouble() * 2_000, 0, "premium", "premium-user-" + random.nextInt(100)));
    }
    String description = String.format(java.util.Locale.ROOT,
        "%d regular jobs arrive within 5 s (%.1f S of work for all %d slots); at 60 s, with the regular backlog still "
            + "waiting, %d premium jobs arrive within 2 s", backlogJobs, backlogJobs / (double) slots, slots, surgeJobs);
    return new Scenario("premium-surge", description, twoTiers(slots), index(drafts, timeScale));
  }

  /** How long one on-demand mapping's ramp (5, +300 per minute, up to the slots) needs for {@code work} slot-seconds. */
  static double rampMakespanSeconds(int slots, double workSlotSeconds) {
    double done = 0;
    double t = 0;
    while (done < workSlotSeconds) {
      double level = Math.min(slots, MappingScaling.ON_DEMAND_START + MappingScaling.ON_DEMAND_PER_MINUTE * t / 60);
      done += level * 0.1;
      t += 0.1;
    }
    return t;
  }

  private static List<Scenario.TierSpec> twoTiers(int slots) {
    return List.of(new Scenario.TierSpec("premium", "premium", slots / 2), new Scenario.TierSpec("regular", "free", slots - slots / 2));
  }

  /** One measured configuration: a flow, its mapping caps (or provisioned top tier), lending. */
  public record Config(String id, Flow flow, String caps, int lendTokens) {
    public String label() {
      return flow.id() + " " + caps + (lendTokens > 0 ? " +lend " + lendTokens : "");
    }

    /** The scenario's two tiers with this configuration's mappings. */
    public Scenario apply(Scenario scenario, int slots) {
      List<Scenario.TierSpec> t = scenario.tiers();
      Scenario.TierSpec premium = t.get(0);
      Scenario.TierSpec regular = t.get(1);
      List<Scenario.TierSpec> tiers = switch (caps) {
        case "900/100" -> {
          int top = Math.max(2, slots / 10);
          yield List.of(new Scenario.TierSpec(premium.name(), premium.subscription(), top),
              new Scenario.TierSpec(regular.name(), regular.subscription(), slots - top));
        }
        case "provisioned top" -> {
          // Minimum 2 pollers (20 concurrent invokes at once), at most a tenth of the slots.
          int maxPollers = Math.max(2, slots / 100);
          int bound = maxPollers * MappingScaling.INVOKES_PER_POLLER;
          yield List.of(new Scenario.TierSpec(premium.name(), premium.subscription(), bound, 2),
              new Scenario.TierSpec(regular.name(), regular.subscription(), slots - bound));
        }
        case "equal", "top-small" -> scenario.withCaps(caps, slots).tiers();
        default -> throw new IllegalArgumentException("unknown caps " + caps);
      };
      return new Scenario(scenario.name(), scenario.description(), tiers, scenario.arrivals());
    }
  }

  /** Every configuration the command knows, by id. */
  public static List<Config> configs(int lendTokens) {
    return List.of(
        new Config("ql-900-100", Flow.QUEUE_LEVEL, "900/100", 0),
        new Config("hf-equal", Flow.HIGHEST_FIRST, "equal", 0),
        new Config("hf-equal-lend", Flow.HIGHEST_FIRST, "equal", lendTokens),
        new Config("hf-top-small", Flow.HIGHEST_FIRST, "top-small", 0),
        new Config("hf-provisioned", Flow.HIGHEST_FIRST, "provisioned top", 0),
        new Config("cl-equal", Flow.CONSUMER_LEVEL, "equal", 0),
        new Config("cl-top-small", Flow.CONSUMER_LEVEL, "top-small", 0),
        new Config("ql-equal", Flow.QUEUE_LEVEL, "equal", 0));
  }

  public static Config config(String id, int lendTokens) {
    return configs(lendTokens).stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown run '" + id + "'; the runs are "
            + configs(lendTokens).stream().map(Config::id).toList()));
  }

  private record Draft(double atMillisAws, int rank, String tier, String user) {}

  private static List<Arrival> index(List<Draft> drafts, double timeScale) {
    drafts.sort(Comparator.comparingDouble(Draft::atMillisAws));
    List<Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      Draft d = drafts.get(i);
      arrivals.add(new Arrival(i, Math.round(d.atMillisAws() / timeScale), d.rank(), d.tier(), d.user()));
    }
    return List.copyOf(arrivals);
  }
}
