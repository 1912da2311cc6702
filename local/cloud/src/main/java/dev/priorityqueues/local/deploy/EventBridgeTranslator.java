package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.intValue;
import static dev.priorityqueues.local.deploy.Inputs.map;
import static dev.priorityqueues.local.deploy.Inputs.string;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** EventBridge: rules and their targets are recorded for the local event bus. */
final class EventBridgeTranslator extends Translator {
  private final Map<String, Declared.Rule> rules = new ConcurrentHashMap<>();
  private final List<Declared.Target> targets = new CopyOnWriteArrayList<>();

  EventBridgeTranslator(EmulationLog log) {
    super(log, "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget");
  }

  @Override
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    String id;
    switch (type) {
      case "aws:cloudwatch/eventRule:EventRule" -> id = rule(name, in, state);
      case "aws:cloudwatch/eventTarget:EventTarget" -> {
        Map<String, Object> retry = map(in, "retryPolicy");
        Map<String, Object> dlq = map(in, "deadLetterConfig");
        targets.add(
            new Declared.Target(
                string(in, "rule"),
                Optional.ofNullable(string(in, "targetId")).orElse(name),
                string(in, "arn"),
                retry == null ? null : intValue(retry, "maximumRetryAttempts", 185),
                retry == null ? null : intValue(retry, "maximumEventAgeInSeconds", 86400),
                dlq == null ? null : string(dlq, "arn")));
        log.emulated(type, name, "delivered by the local event bus");
        id = name;
      }
      default -> throw new IllegalArgumentException(type);
    }
    return id;
  }

  List<Declared.Rule> rules() {
    return List.copyOf(rules.values());
  }

  List<Declared.Target> targets() {
    return List.copyOf(targets);
  }

  private String rule(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = Optional.ofNullable(string(in, "name")).orElse(logical);
    String arn = "arn:aws:events:" + region + ":" + account + ":rule/" + name;
    boolean enabled = !"DISABLED".equals(string(in, "state")) && !Boolean.FALSE.equals(in.get("isEnabled"));
    rules.put(name, new Declared.Rule(name, arn, string(in, "eventPattern"), enabled));
    state.put("arn", arn);
    state.put("name", name);
    log.emulated("aws:cloudwatch/eventRule:EventRule", logical, "matched with event-ruler");
    return name;
  }
}
