package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.string;

import java.util.Map;
import java.util.Optional;

/** CloudWatch Logs: log groups get their ARNs; function logs go to the local log files instead. */
final class CloudWatchTranslator extends Translator {

  CloudWatchTranslator(EmulationLog log) {
    super(log, "aws:cloudwatch/logGroup:LogGroup");
  }

  @Override
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    String id = Optional.ofNullable(string(in, "name")).orElse(name);
    state.put("arn", "arn:aws:logs:" + region + ":" + account + ":log-group:" + id);
    state.put("name", id);
    log.notEmulated(type, name, "function logs go to the local log file");
    return id;
  }
}
