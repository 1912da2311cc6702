package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.map;
import static dev.priorityqueues.local.deploy.Inputs.shortId;
import static dev.priorityqueues.local.deploy.Inputs.string;
import static dev.priorityqueues.local.deploy.Inputs.strings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * API Gateway (HTTP API): the API, its JWT authorizers, integrations, routes and stage are
 * recorded for the local HTTP API, which already listens on {@code apiEndpoint}.
 */
final class ApiGatewayTranslator extends Translator {
  private final String apiEndpoint;
  private final Map<String, Declared.Authorizer> authorizers = new ConcurrentHashMap<>();
  private final Map<String, Declared.Integration> integrations = new ConcurrentHashMap<>();
  private final List<Declared.Route> routes = new CopyOnWriteArrayList<>();
  private volatile Declared.ApiCors apiCors;

  ApiGatewayTranslator(String apiEndpoint, EmulationLog log) {
    super(log,
        "aws:apigatewayv2/api:Api", "aws:apigatewayv2/authorizer:Authorizer",
        "aws:apigatewayv2/integration:Integration", "aws:apigatewayv2/route:Route", "aws:apigatewayv2/stage:Stage");
    this.apiEndpoint = apiEndpoint;
  }

  @Override
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    String id;
    switch (type) {
      case "aws:apigatewayv2/api:Api" -> {
        id = "localapi";
        state.put("apiEndpoint", apiEndpoint);
        state.put("executionArn", "arn:aws:execute-api:" + region + ":" + account + ":" + id);
        state.put("arn", "arn:aws:apigateway:" + region + "::/apis/" + id);
        Map<String, Object> cors = map(in, "corsConfiguration");
        if (cors != null) {
          apiCors = new Declared.ApiCors(strings(cors, "allowOrigins"), strings(cors, "allowMethods"),
              strings(cors, "allowHeaders"), strings(cors, "exposeHeaders"), Boolean.TRUE.equals(cors.get("allowCredentials")),
              cors.get("maxAge") instanceof Number n ? (int) Math.round(n.doubleValue()) : null);
        }
        log.emulated(type, name, cors == null ? "served on loopback" : "served on loopback; CORS answered as API Gateway does");
      }
      case "aws:apigatewayv2/authorizer:Authorizer" -> {
        id = "auth-" + shortId();
        Map<String, Object> jwt = map(in, "jwtConfiguration");
        authorizers.put(
            id,
            new Declared.Authorizer(id, jwt == null ? null : string(jwt, "issuer"), jwt == null ? List.of() : strings(jwt, "audiences")));
        log.emulated(type, name, "JWT verified with a local signing key");
      }
      case "aws:apigatewayv2/integration:Integration" -> {
        id = "int-" + shortId();
        integrations.put(id, new Declared.Integration(id, string(in, "integrationUri")));
        log.emulated(type, name, "Lambda proxy, payload 2.0");
      }
      case "aws:apigatewayv2/route:Route" -> {
        id = "route-" + shortId();
        routes.add(
            new Declared.Route(string(in, "routeKey"), string(in, "target"), string(in, "authorizationType"), string(in, "authorizerId"),
                strings(in, "authorizationScopes")));
        log.emulated(type, name, "routed by the local HTTP API");
      }
      case "aws:apigatewayv2/stage:Stage" -> {
        id = Optional.ofNullable(string(in, "name")).orElse("$default");
        state.put("invokeUrl", apiEndpoint + "/");
        state.put("executionArn", "arn:aws:execute-api:" + region + ":" + account + ":localapi/" + id);
        state.put("arn", "arn:aws:apigateway:" + region + "::/apis/localapi/stages/" + id);
        log.emulated(type, name, "the $default stage");
      }
      default -> throw new IllegalArgumentException(type);
    }
    return id;
  }

  List<Declared.Route> routes() {
    return List.copyOf(routes);
  }

  Optional<Declared.Integration> integration(String id) {
    return Optional.ofNullable(id == null ? null : integrations.get(id));
  }

  Optional<Declared.Authorizer> authorizer(String id) {
    return Optional.ofNullable(id == null ? null : authorizers.get(id));
  }

  Optional<Declared.ApiCors> apiCors() {
    return Optional.ofNullable(apiCors);
  }
}
