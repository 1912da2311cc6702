package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.intValue;
import static dev.priorityqueues.local.deploy.Inputs.list;
import static dev.priorityqueues.local.deploy.Inputs.map;
import static dev.priorityqueues.local.deploy.Inputs.string;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lambda: functions, aliases, layers, async invoke configs and event source mappings are
 * recorded for the local cloud to run in-process.
 */
final class LambdaTranslator extends Translator {
  private final Map<String, Declared.Function> functionsByArn = new ConcurrentHashMap<>();
  /** Alias or version ARN → the function ARN it points at. */
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final List<Declared.AsyncConfig> asyncConfigs = new CopyOnWriteArrayList<>();
  private final List<Declared.Mapping> mappings = new CopyOnWriteArrayList<>();

  LambdaTranslator(EmulationLog log) {
    super(log,
        "aws:lambda/function:Function", "aws:lambda/alias:Alias", "aws:lambda/layerVersion:LayerVersion",
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        "aws:lambda/eventSourceMapping:EventSourceMapping");
  }

  @Override
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    String id;
    switch (type) {
      case "aws:lambda/function:Function" -> id = function(name, in, state);
      case "aws:lambda/alias:Alias" -> id = alias(name, in, state);
      case "aws:lambda/layerVersion:LayerVersion" -> {
        id = "arn:aws:lambda:" + region + ":" + account + ":layer:" + string(in, "layerName") + ":1";
        state.put("arn", id);
        state.put("layerArn", "arn:aws:lambda:" + region + ":" + account + ":layer:" + string(in, "layerName"));
        state.put("version", "1");
        log.emulated(type, name, "its archive is unpacked locally as under /opt; the worker runs its bin/ffmpeg");
      }
      case "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig" -> {
        String function = string(in, "functionName");
        Map<String, Object> destination = map(in, "destinationConfig");
        Map<String, Object> onFailure = destination == null ? null : map(destination, "onFailure");
        asyncConfigs.add(
            new Declared.AsyncConfig(
                function, intValue(in, "maximumRetryAttempts", 2), onFailure == null ? null : string(onFailure, "destination")));
        log.emulated(type, name, "async retries and on-failure destination");
        id = function;
      }
      case "aws:lambda/eventSourceMapping:EventSourceMapping" -> id = mapping(name, in, state);
      default -> throw new IllegalArgumentException(type);
    }
    return id;
  }

  List<Declared.Function> functions() {
    return List.copyOf(functionsByArn.values());
  }

  Declared.Function function(String arn) {
    return functionsByArn.get(arn);
  }

  List<Declared.Mapping> mappings() {
    return List.copyOf(mappings);
  }

  /** The async invoke config declared for a function, by name or ARN. */
  Declared.AsyncConfig asyncConfig(String name, String arn) {
    return asyncConfigs.stream()
        .filter(c -> c.function().equals(name) || c.function().equals(arn) || aliasTarget(c.function()).equals(arn))
        .findFirst()
        .orElse(null);
  }

  /**
   * The function ARN that a function ARN, an alias or version ARN, an API Gateway invoke ARN or
   * a function name refers to.
   */
  Optional<String> resolveFunctionArn(String reference) {
    if (reference == null) {
      return Optional.empty();
    }
    String ref = reference;
    int path = ref.indexOf("/functions/");
    if (ref.startsWith("arn:aws:apigateway:") && path >= 0) {
      ref = ref.substring(path + "/functions/".length()).replaceFirst("/invocations$", "");
    }
    String target = aliasTarget(ref);
    if (functionsByArn.containsKey(target)) {
      return Optional.of(target);
    }
    String name = ref;
    return functionsByArn.values().stream().filter(f -> f.name().equals(name)).map(Declared.Function::arn).findFirst();
  }

  private String aliasTarget(String arn) {
    return aliases.getOrDefault(arn, arn);
  }

  private String function(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = Optional.ofNullable(string(in, "name")).orElse(logical);
    String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Object> environment = map(in, "environment");
    if (environment != null && map(environment, "variables") != null) {
      map(environment, "variables").forEach((k, v) -> env.put(k, String.valueOf(v)));
    }
    Integer reserved = in.get("reservedConcurrentExecutions") instanceof Number n && n.intValue() >= 0 ? n.intValue() : null;
    Map<String, Object> dlq = map(in, "deadLetterConfig");
    functionsByArn.put(
        arn,
        new Declared.Function(
            logical, name, arn, string(in, "handler"), env, intValue(in, "timeout", 3), intValue(in, "memorySize", 128),
            reserved, string(in, "role"), dlq == null ? null : string(dlq, "targetArn"),
            map(in, "snapStart") != null && "PublishedVersions".equals(string(map(in, "snapStart"), "applyOn"))));
    state.put("arn", arn);
    state.put("name", name);
    state.put("version", "1");
    state.put("qualifiedArn", arn + ":1");
    state.put("invokeArn", invokeArn(arn));
    state.put("qualifiedInvokeArn", invokeArn(arn + ":1"));
    state.put("lastModified", java.time.Instant.now().toString());
    state.put("sourceCodeHash", "local");
    log.emulated("aws:lambda/function:Function", logical, "run in-process from its handler class");
    return name;
  }

  private String alias(String logical, Map<String, Object> in, Map<String, Object> state) {
    String function = string(in, "functionName");
    String target =
        functionsByArn.values().stream()
            .filter(f -> f.name().equals(function) || f.arn().equals(function))
            .map(Declared.Function::arn)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("alias " + logical + " names an unknown function " + function));
    String aliasName = Optional.ofNullable(string(in, "name")).orElse(logical);
    String arn = target + ":" + aliasName;
    aliases.put(arn, target);
    aliases.put(target + ":1", target);
    state.put("arn", arn);
    state.put("invokeArn", invokeArn(arn));
    state.put("name", aliasName);
    log.emulated("aws:lambda/alias:Alias", logical, "resolves to its function");
    return arn;
  }

  private String mapping(String logical, Map<String, Object> in, Map<String, Object> state) {
    Map<String, Object> scaling = map(in, "scalingConfig");
    Map<String, Object> pollers = map(in, "provisionedPollerConfig");
    List<Object> responseTypes = list(in, "functionResponseTypes");
    String uuid = UUID.randomUUID().toString();
    mappings.add(
        new Declared.Mapping(
            uuid,
            string(in, "eventSourceArn"),
            string(in, "functionName"),
            intValue(in, "batchSize", 10),
            intValue(in, "maximumBatchingWindowInSeconds", 0),
            scaling == null || scaling.get("maximumConcurrency") == null ? null : intValue(scaling, "maximumConcurrency", 0),
            responseTypes.contains("ReportBatchItemFailures"),
            !Boolean.FALSE.equals(in.get("enabled")),
            pollers == null || pollers.get("minimumPollers") == null ? null : intValue(pollers, "minimumPollers", 0),
            pollers == null || pollers.get("maximumPollers") == null ? null : intValue(pollers, "maximumPollers", 0)));
    state.put("uuid", uuid);
    state.put("state", "Enabled");
    state.put("functionArn", string(in, "functionName"));
    log.emulated("aws:lambda/eventSourceMapping:EventSourceMapping", logical, "polled by the local cloud");
    return uuid;
  }

  private String invokeArn(String functionArn) {
    return "arn:aws:apigateway:" + region + ":lambda:path/2015-03-31/functions/" + functionArn + "/invocations";
  }
}
