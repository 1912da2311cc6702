package dev.priorityqueues.local.sdk;

import dev.priorityqueues.local.servers.LocalAws;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The SDK calls that reach one local cloud's servers, and what the interceptor does with them:
 * the cloud's {@link CallHook}s, its {@link ApiCalls} counts and its SQS {@link AttributeLag}.
 * The SDK builds one {@link LocalCloudInterceptor} per JVM (from the global interceptor file), so
 * a call finds its scope by its client's endpoint: two local clouds in one JVM listen on
 * different ports and never see each other's calls, hooks or lag. A call to no bound endpoint is
 * neither counted nor hooked.
 */
public final class CallScope implements AutoCloseable {

  /** host:port → the scope bound to it: only routing, each scope's state is its own. */
  private static final Map<String, CallScope> BY_AUTHORITY = new ConcurrentHashMap<>();

  private final Set<String> authorities;
  private final List<CallHook> hooks = new CopyOnWriteArrayList<>();
  private final ApiCalls apiCalls = new ApiCalls();
  private final AttributeLag attributeLag = new AttributeLag();

  private CallScope(Set<String> authorities) {
    this.authorities = authorities;
  }

  /**
   * A scope for the calls to these endpoints, until {@link #close}.
   *
   * @throws IllegalStateException if another open scope has one of them
   */
  public static CallScope bind(Collection<URI> endpoints) {
    List<String> authorities = new ArrayList<>();
    endpoints.forEach(endpoint -> authorities.add(authority(endpoint)));
    CallScope scope = new CallScope(Set.copyOf(authorities));
    List<String> bound = new ArrayList<>();
    for (String authority : scope.authorities) {
      CallScope other = BY_AUTHORITY.putIfAbsent(authority, scope);
      if (other != null) {
        bound.forEach(a -> BY_AUTHORITY.remove(a, scope));
        throw new IllegalStateException("the calls to " + authority + " already belong to another open call scope");
      }
      bound.add(authority);
    }
    return scope;
  }

  /** A scope for the calls to the servers' SQS, DynamoDB and S3 endpoints, and to {@code more}. */
  public static CallScope bind(LocalAws servers, URI... more) {
    List<URI> endpoints = new ArrayList<>(List.of(servers.sqsEndpoint(), servers.dynamoDbEndpoint(), servers.s3Endpoint()));
    endpoints.addAll(List.of(more));
    return bind(endpoints);
  }

  /** The open scope a client with this endpoint belongs to. */
  static Optional<CallScope> of(URI endpoint) {
    return endpoint == null ? Optional.empty() : Optional.ofNullable(BY_AUTHORITY.get(authority(endpoint)));
  }

  private static String authority(URI endpoint) {
    return endpoint.getHost() + ":" + endpoint.getPort();
  }

  public void addHook(CallHook hook) {
    hooks.add(hook);
  }

  public void removeHook(CallHook hook) {
    hooks.remove(hook);
  }

  List<CallHook> hooks() {
    return hooks;
  }

  /** The calls counted in this scope. */
  public ApiCalls apiCalls() {
    return apiCalls;
  }

  /** The SQS attribute lag the functions of this scope see. */
  public AttributeLag attributeLag() {
    return attributeLag;
  }

  @Override
  public void close() {
    authorities.forEach(a -> BY_AUTHORITY.remove(a, this));
    hooks.clear();
  }
}
