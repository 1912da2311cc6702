package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.string;

import dev.priorityqueues.local.servers.LocalAws;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** CloudWatch Logs: log groups get their ARNs; function logs go to the local log files instead. */
final class CloudWatchTranslator implements Translator {
  private final EmulationLog log;
  private final String region = LocalAws.REGION;
  private final String account = LocalAws.ACCOUNT_ID;

  CloudWatchTranslator(EmulationLog log) {
    this.log = log;
  }

  @Override
  public Set<String> types() {
    return Set.of("aws:cloudwatch/logGroup:LogGroup");
  }

  @Override
  public String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    String id = Optional.ofNullable(string(in, "name")).orElse(name);
    state.put("arn", "arn:aws:logs:" + region + ":" + account + ":log-group:" + id);
    state.put("name", id);
    log.notEmulated(type, name, "function logs go to the local log file");
    return id;
  }
}
