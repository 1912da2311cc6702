package dev.priorityqueues.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tiers as the functions see them, highest priority first: each tier's queue, its DLQ, the
 * subscriptions that map to it and its maxReceiveCount. The program writes it into
 * {@link FunctionEnv#TIERS} as JSON; handlers parse it once at construction.
 */
public final class TierTable {

  /**
   * The longest tier name. Tier names become queue names (at most 80 characters in SQS, with
   * the program's prefix and suffix and Pulumi's 8-character auto-name suffix) and metric
   * dimensions, so they are kept short and plain.
   */
  public static final int MAX_NAME_LENGTH = 30;

  public static final Pattern TIER_NAME = Pattern.compile("[a-z][a-z0-9-]{0," + (MAX_NAME_LENGTH - 1) + "}");

  /** One tier. {@code rank} 0 is the highest priority. */
  public record Tier(
      String name,
      int rank,
      String queueUrl,
      String queueArn,
      String dlqUrl,
      String dlqArn,
      List<String> subscriptions,
      int maxReceiveCount) {
    public Tier {
      Objects.requireNonNull(name, "name");
      subscriptions = List.copyOf(subscriptions);
    }
  }

  private final List<Tier> tiers;
  private final Tier defaultTier;
  private final Map<String, Tier> bySubscription = new HashMap<>();
  private final Map<String, Tier> byName = new LinkedHashMap<>();
  private final Map<String, Tier> byQueueArn = new HashMap<>();

  public TierTable(List<Tier> tiers, String defaultTier) {
    if (tiers == null || tiers.isEmpty()) {
      throw new ContractException(FunctionEnv.TIERS + " must list at least one tier");
    }
    this.tiers = List.copyOf(tiers);
    for (int i = 0; i < this.tiers.size(); i++) {
      Tier tier = this.tiers.get(i);
      if (tier.rank() != i) {
        throw new ContractException(
            FunctionEnv.TIERS + " tier '" + tier.name() + "' has rank " + tier.rank() + " but is at position " + i);
      }
      if (byName.put(tier.name(), tier) != null) {
        throw new ContractException(FunctionEnv.TIERS + " names tier '" + tier.name() + "' twice");
      }
      if (tier.queueArn() != null) {
        byQueueArn.put(tier.queueArn(), tier);
      }
      for (String subscription : tier.subscriptions()) {
        Tier previous = bySubscription.put(subscription, tier);
        if (previous != null) {
          throw new ContractException(
              FunctionEnv.TIERS + " maps subscription '" + subscription + "' to both '"
                  + previous.name() + "' and '" + tier.name() + "'");
        }
      }
    }
    this.defaultTier = byName.get(defaultTier);
    if (this.defaultTier == null) {
      throw new ContractException(
          FunctionEnv.DEFAULT_TIER + " is '" + defaultTier + "', which is not one of the tiers " + byName.keySet());
    }
  }

  /** Reads the table from a function's environment. */
  public static TierTable fromEnv(EnvReader env) {
    return fromJson(env.require(FunctionEnv.TIERS), env.require(FunctionEnv.DEFAULT_TIER));
  }

  public static TierTable fromJson(String json, String defaultTier) {
    String what = FunctionEnv.TIERS;
    List<Object> entries = Json.parseArray(what, json);
    List<Tier> tiers = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.get(i) instanceof Map<?, ?> raw)) {
        throw new ContractException(what + " entry " + i + " must be an object, not " + Json.kind(entries.get(i)));
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      raw.forEach((k, v) -> entry.put(String.valueOf(k), v));
      String entryWhat = what + " entry " + i;
      String name = Json.string(entry, "name", entryWhat);
      if (!TIER_NAME.matcher(name).matches()) {
        throw new ContractException(entryWhat + " name '" + name + "' must match " + TIER_NAME.pattern());
      }
      tiers.add(
          new Tier(
              name,
              i,
              Json.string(entry, "queueUrl", entryWhat),
              Json.string(entry, "queueArn", entryWhat),
              Json.string(entry, "dlqUrl", entryWhat),
              Json.string(entry, "dlqArn", entryWhat),
              Json.strings(entry, "subscriptions", entryWhat),
              (int) Json.integer(entry, "maxReceiveCount", entryWhat, 1, 1000)));
    }
    return new TierTable(tiers, defaultTier);
  }

  /** The JSON the program writes into {@link FunctionEnv#TIERS}. */
  public static String toJson(List<Tier> tiers) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Tier tier : tiers) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", tier.name());
      entry.put("queueUrl", tier.queueUrl());
      entry.put("queueArn", tier.queueArn());
      entry.put("dlqUrl", tier.dlqUrl());
      entry.put("dlqArn", tier.dlqArn());
      entry.put("subscriptions", tier.subscriptions());
      entry.put("maxReceiveCount", tier.maxReceiveCount());
      out.add(entry);
    }
    return Json.write(out);
  }

  public String toJson() {
    return toJson(tiers);
  }

  /** Highest priority first. */
  public List<Tier> all() {
    return tiers;
  }

  public Tier defaultTier() {
    return defaultTier;
  }

  public Tier highest() {
    return tiers.get(0);
  }

  public Tier byName(String name) {
    Tier tier = byName.get(name);
    if (tier == null) {
      throw new ContractException("unknown tier '" + name + "'; tiers are " + byName.keySet());
    }
    return tier;
  }

  public Optional<Tier> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Optional<Tier> byQueueArn(String queueArn) {
    return Optional.ofNullable(byQueueArn.get(queueArn));
  }

  /** The tier a subscription maps to; unknown or absent subscriptions get the default tier. */
  public Tier forSubscription(String subscription) {
    return subscription == null ? defaultTier : bySubscription.getOrDefault(subscription, defaultTier);
  }

  /** Tiers strictly above {@code tier}, highest first. */
  public List<Tier> higherThan(Tier tier) {
    return tiers.subList(0, tier.rank());
  }
}
