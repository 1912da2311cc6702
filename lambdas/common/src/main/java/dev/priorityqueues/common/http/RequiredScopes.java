package dev.priorityqueues.common.http;

import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Scopes;
import java.util.List;

/**
 * The OAuth scopes a function's routes require, one of which a token must grant. The routes'
 * authorizationScopes enforce them already; the function checks again (defence in depth), so a
 * route misconfigured by hand still refuses ID tokens and tokens for other APIs.
 */
public record RequiredScopes(List<String> scopes) {

  public RequiredScopes {
    scopes = List.copyOf(scopes);
  }

  /** {@link FunctionEnv#JWT_SCOPES}, which the program sets from the config key {@code configKey}. */
  public static RequiredScopes from(EnvReader env, String configKey) {
    List<String> scopes = env.list(FunctionEnv.JWT_SCOPES);
    if (scopes.isEmpty() || scopes.size() > Scopes.MAX_SCOPES
        || !scopes.stream().allMatch(s -> Scopes.TOKEN.matcher(s).matches())) {
      throw new ContractException(FunctionEnv.JWT_SCOPES + " must list 1 to " + Scopes.MAX_SCOPES
          + " OAuth scopes (the program sets it from " + configKey + "), not '"
          + env.optional(FunctionEnv.JWT_SCOPES).orElse("") + "'");
    }
    return new RequiredScopes(scopes);
  }

  /** Refuses a request whose token grants none of the scopes with 403 {@code insufficient_scope}. */
  public void check(HttpRequest request) {
    if (scopes.stream().noneMatch(request.scopes()::contains)) {
      throw new ApiError(403, "insufficient_scope", "the token grants none of the scopes this API requires ("
          + String.join(", ", scopes) + "); ID tokens and tokens for other APIs are refused");
    }
  }
}
