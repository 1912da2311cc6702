package dev.priorityqueues.local.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * An arrival trace and the tiers it runs on. The same trace (same seed) is replayed for every
 * flow, so their results differ only by how each flow schedules.
 */
public record Scenario(String name, String description, List<TierSpec> tiers, List<Arrival> arrivals) {

  /**
   * A tier of the scenario: its name, the subscription its users hold, its mapping cap. With
   * {@code minPollers} above 0 the mapping runs in provisioned mode instead, with that many
   * minimum pollers and {@code maxConcurrency / 10} maximum pollers (Lambda allows no cap then).
   */
  public record TierSpec(String name, String subscription, int maxConcurrency, int minPollers) {
    public TierSpec(String name, String subscription, int maxConcurrency) {
      this(name, subscription, maxConcurrency, 0);
    }

    public boolean provisioned() {
      return minPollers > 0;
    }
  }

  /**
   * The scenario: a regular-tier burst far over capacity while premium arrives steadily.
   * The regular burst alone is {@code burstFactor}× what the slots can do in one second; premium
   * arrives as a Poisson stream at a tenth of the slots' capacity until the burst is worked off.
   */
  public static Scenario regularBurst(int slots, int serviceMillis, double scale, long seed) {
    Random random = new Random(seed);
    double capacityPerSecond = slots * 1000.0 / serviceMillis;
    int regularJobs = (int) Math.round(capacityPerSecond * 6 * scale);
    List<TierSpec> tiers = List.of(
        new TierSpec("premium", "premium", Math.max(2, slots / 2)),
        new TierSpec("regular", "free", Math.max(2, slots - slots / 2)));
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < regularJobs; i++) {
      drafts.add(new Draft((long) (random.nextDouble() * 500), 1, "regular", "regular-user-" + random.nextInt(200)));
    }
    long horizon = (long) (regularJobs / capacityPerSecond * 1000);
    poisson(random, capacityPerSecond / 10, horizon, 0, "premium", "premium-user-", 40, drafts);
    return new Scenario(
        "regular-burst",
        regularJobs + " regular jobs arrive within 0.5 s (" + Math.round(regularJobs / capacityPerSecond * 10) / 10.0
            + " s of work for all " + slots + " slots) while premium arrives steadily at 10% of capacity",
        tiers, index(drafts));
  }

  /**
   * Three tiers: a free-tier burst at the start, a standard-tier burst one second later, and a
   * steady premium stream throughout — priority inversion at two levels, and starvation pressure
   * on the lowest tier.
   */
  public static Scenario threeTiers(int slots, int serviceMillis, double scale, long seed) {
    Random random = new Random(seed);
    double capacityPerSecond = slots * 1000.0 / serviceMillis;
    int freeJobs = (int) Math.round(capacityPerSecond * 3 * scale);
    int standardJobs = (int) Math.round(capacityPerSecond * 2 * scale);
    int premiumCap = Math.max(2, slots / 3);
    int standardCap = Math.max(2, (slots - premiumCap) / 2);
    List<TierSpec> tiers = List.of(
        new TierSpec("premium", "premium", premiumCap),
        new TierSpec("standard", "basic", standardCap),
        new TierSpec("free", "free", Math.max(2, slots - premiumCap - standardCap)));
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < freeJobs; i++) {
      drafts.add(new Draft((long) (random.nextDouble() * 300), 2, "free", "free-user-" + random.nextInt(200)));
    }
    for (int i = 0; i < standardJobs; i++) {
      drafts.add(new Draft(1000 + (long) (random.nextDouble() * 300), 1, "standard", "standard-user-" + random.nextInt(100)));
    }
    long horizon = (long) ((freeJobs + standardJobs) / capacityPerSecond * 1000);
    poisson(random, capacityPerSecond / 10, horizon, 0, "premium", "premium-user-", 40, drafts);
    return new Scenario(
        "three-tiers",
        freeJobs + " free jobs at 0 s, " + standardJobs + " standard jobs at 1 s, premium steadily at 10% of capacity",
        tiers, index(drafts));
  }

  /**
   * One tier, one heavy user and many light ones: the heavy user uploads a large batch at once,
   * light users keep arriving. Fairness inside a tier decides whether the light users wait behind
   * the whole batch.
   */
  public static Scenario heavyUser(int slots, int serviceMillis, double scale, long seed) {
    Random random = new Random(seed);
    double capacityPerSecond = slots * 1000.0 / serviceMillis;
    int heavyJobs = (int) Math.round(capacityPerSecond * 5 * scale);
    List<TierSpec> tiers = List.of(new TierSpec("regular", "free", Math.max(2, slots)));
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < heavyJobs; i++) {
      drafts.add(new Draft((long) (random.nextDouble() * 200), 0, "regular", "heavy-user"));
    }
    long horizon = (long) (heavyJobs / capacityPerSecond * 1000);
    poisson(random, capacityPerSecond / 5, horizon, 0, "regular", "light-user-", 60, drafts);
    return new Scenario(
        "heavy-user",
        "one user uploads " + heavyJobs + " videos at once; 60 light users keep arriving at 20% of capacity",
        tiers, index(drafts));
  }

  public static Scenario named(String name, int slots, int serviceMillis, double scale, long seed) {
    return switch (name) {
      case "regular-burst" -> regularBurst(slots, serviceMillis, scale, seed);
      case "three-tiers" -> threeTiers(slots, serviceMillis, scale, seed);
      case "heavy-user" -> heavyUser(slots, serviceMillis, scale, seed);
      default -> throw new IllegalArgumentException(
          "unknown scenario '" + name + "'; scenarios are regular-burst, three-tiers, heavy-user");
    };
  }

  /**
   * The same trace with other mapping caps. {@code spec} is {@code equal} (the slots split evenly),
   * {@code top-small} (every tier but the lowest gets the minimum of 2, the lowest the rest), or
   * explicit caps highest tier first, e.g. {@code 12,4}. The caps always sum to the slots, so
   * the worker's reserved concurrency covers every mapping and no invocation is throttled.
   */
  public Scenario withCaps(String spec, int slots) {
    int n = tiers.size();
    int[] caps = new int[n];
    switch (spec) {
      case "equal" -> {
        for (int i = 0; i < n; i++) {
          caps[i] = slots / n + (i >= n - slots % n ? 1 : 0);
        }
      }
      case "top-small" -> {
        for (int i = 0; i < n - 1; i++) {
          caps[i] = 2;
        }
        caps[n - 1] = slots - 2 * (n - 1);
      }
      default -> {
        String[] parts = spec.split(",");
        if (parts.length != n) {
          throw new IllegalArgumentException(
              "--caps '" + spec + "' names " + parts.length + " caps; scenario " + name + " has " + n + " tiers");
        }
        for (int i = 0; i < n; i++) {
          try {
            caps[i] = Integer.parseInt(parts[i].trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--caps must be equal, top-small or whole numbers like 12,4, not '" + spec + "'");
          }
        }
      }
    }
    int sum = 0;
    List<TierSpec> capped = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (caps[i] < 2 || caps[i] > 1000) {
        throw new IllegalArgumentException("cap " + caps[i] + " of tier " + tiers.get(i).name() + " must be from 2 to 1000");
      }
      sum += caps[i];
      capped.add(new TierSpec(tiers.get(i).name(), tiers.get(i).subscription(), caps[i]));
    }
    if (sum != slots) {
      throw new IllegalArgumentException("--caps " + spec + " sum to " + sum + ", not to the " + slots + " slots");
    }
    return new Scenario(name, description, capped, arrivals);
  }

  private record Draft(long atMillis, int rank, String tier, String user) {}

  private static void poisson(
      Random random, double perSecond, long horizonMillis, int rank, String tier, String userPrefix, int users, List<Draft> out) {
    double t = 0;
    while (true) {
      t += -Math.log(1 - random.nextDouble()) / perSecond * 1000;
      if (t > horizonMillis) {
        return;
      }
      out.add(new Draft((long) t, rank, tier, userPrefix + random.nextInt(users)));
    }
  }

  private static List<Arrival> index(List<Draft> drafts) {
    drafts.sort(Comparator.comparingLong(Draft::atMillis));
    List<Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      Draft d = drafts.get(i);
      arrivals.add(new Arrival(i, d.atMillis(), d.rank(), d.tier(), d.user()));
    }
    return List.copyOf(arrivals);
  }
}
