package dev.priorityqueues.contract;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * OAuth scopes the API's routes require: the program sets them as each route's
 * {@code authorizationScopes} (the upload route {@code jwtScopes}, the status routes
 * {@code statusJwtScopes}), the function checks them again, and the local cloud's API enforces
 * them as API Gateway's JWT authorizer does (the token must carry at least one of them).
 */
public final class Scopes {
  private Scopes() {}

  /** The scope a token must carry by default to upload. */
  public static final String DEFAULT = "uploads:write";
  /** The scope a token must carry by default to read the status of its uploads. */
  public static final String READ_DEFAULT = "uploads:read";
  /** At most this many scopes: they go into presign's 4 KB environment. */
  public static final int MAX_SCOPES = 5;
  /** The longest scope accepted. */
  public static final int MAX_LENGTH = 64;
  /**
   * RFC 6749's scope-token (printable ASCII but space, quote and backslash), less the comma,
   * which separates the scopes in the function's environment.
   */
  public static final Pattern TOKEN = Pattern.compile("[\\x21\\x23-\\x2B\\x2D-\\x5B\\x5D-\\x7E]{1," + MAX_LENGTH + "}");

  /**
   * The scopes a token grants: its {@code scope} claim (RFC 8693), or the {@code scp} claim some
   * providers use, space-separated. API Gateway hands a list claim to the function as
   * {@code [a b]}, so brackets are dropped.
   */
  public static Set<String> granted(Map<String, ?> claims) {
    Set<String> scopes = new LinkedHashSet<>();
    if (claims == null) {
      return scopes;
    }
    for (String name : new String[] {"scope", "scp"}) {
      Object value = claims.get(name);
      if (value instanceof Collection<?> list) {
        list.forEach(item -> scopes.add(String.valueOf(item)));
      } else if (value != null) {
        String text = value.toString().trim();
        if (text.startsWith("[") && text.endsWith("]")) {
          text = text.substring(1, text.length() - 1);
        }
        Arrays.stream(text.split("[\\s,]+")).filter(s -> !s.isEmpty()).forEach(scopes::add);
      }
    }
    return scopes;
  }

  /** True when the token grants at least one of {@code required}, as API Gateway decides. */
  public static boolean allows(Map<String, ?> claims, Collection<String> required) {
    Set<String> granted = granted(claims);
    return required.stream().anyMatch(granted::contains);
  }
}
