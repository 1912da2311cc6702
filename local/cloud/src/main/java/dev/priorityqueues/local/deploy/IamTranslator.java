package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.shortId;
import static dev.priorityqueues.local.deploy.Inputs.string;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** IAM: roles get their ARNs; role policies are recorded for IAM enforcement. */
final class IamTranslator extends Translator {
  private final List<Declared.RolePolicy> rolePolicies = new CopyOnWriteArrayList<>();

  IamTranslator(EmulationLog log) {
    super(log, "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy");
  }

  @Override
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    String id;
    switch (type) {
      case "aws:iam/role:Role" -> {
        id = Optional.ofNullable(string(in, "name")).orElse(name);
        String arn = "arn:aws:iam::" + account + ":role/" + id;
        state.put("arn", arn);
        state.put("name", id);
        state.put("uniqueId", "AROA" + shortId().toUpperCase(Locale.ROOT));
        log.notEmulated(type, name, "recorded; the local cloud checks calls against role policies only where IAM enforcement is on");
      }
      case "aws:iam/rolePolicy:RolePolicy" -> {
        id = string(in, "role") + ":" + Optional.ofNullable(string(in, "name")).orElse(name);
        rolePolicies.add(new Declared.RolePolicy(string(in, "role"), Optional.ofNullable(string(in, "name")).orElse(name), string(in, "policy")));
        log.notEmulated(type, name, "recorded for IAM enforcement");
      }
      default -> throw new IllegalArgumentException(type);
    }
    return id;
  }

  List<Declared.RolePolicy> rolePolicies() {
    return List.copyOf(rolePolicies);
  }
}
