package dev.priorityqueues.local.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.priorityqueues.contract.Scopes;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A local identity provider: issues RS256 tokens for the issuer and audience the program's JWT
 * authorizer declares, and verifies them the way API Gateway's JWT authorizer does (signature,
 * issuer, audience, expiry and not-before). The key pair lives only in memory.
 */
public final class LocalIdentity {

  private final String issuer;
  private final List<String> audiences;
  private final List<String> scopes;
  private final RSAKey key;
  /** Built once: the key never changes, and every API request verifies a token. */
  private final RSASSASigner signer;
  private final RSASSAVerifier verifier;
  private final Clock clock;

  public LocalIdentity(String issuer, List<String> audiences, Clock clock) {
    this(issuer, audiences, List.of(Scopes.DEFAULT), clock);
  }

  /** {@code scopes}: what the tokens it issues grant, the route's required scopes (the default when none). */
  public LocalIdentity(String issuer, List<String> audiences, List<String> scopes, Clock clock) {
    this.scopes = scopes.isEmpty() ? List.of(Scopes.DEFAULT) : List.copyOf(scopes);
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audiences = List.copyOf(audiences);
    if (this.audiences.isEmpty()) {
      throw new IllegalArgumentException("the authorizer declares no audience");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      this.key = new RSAKeyGenerator(2048).keyID("local-" + UUID.randomUUID()).generate();
      this.signer = new RSASSASigner(key);
      this.verifier = new RSASSAVerifier(key.toRSAPublicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate the local signing key", e);
    }
  }

  public String issuer() {
    return issuer;
  }

  /** A token for {@code subject}, valid for {@code ttl}. */
  public String issue(String subject, Duration ttl) {
    Instant now = clock.instant();
    return sign(
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audiences.get(0))
            .subject(subject)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", String.join(" ", scopes))
            .build());
  }

  /** Signs arbitrary claims: tests use it to make expired or foreign tokens. */
  public String sign(JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }

  /** The verified claims, or empty when the token would be refused with 401. */
  public java.util.Optional<Map<String, Object>> verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(verifier)) {
        return java.util.Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Instant now = clock.instant();
      boolean valid =
          issuer.equals(claims.getIssuer())
              && claims.getAudience() != null
              && claims.getAudience().stream().anyMatch(audiences::contains)
              && claims.getExpirationTime() != null
              && claims.getExpirationTime().toInstant().isAfter(now)
              && (claims.getNotBeforeTime() == null || !claims.getNotBeforeTime().toInstant().isAfter(now));
      return valid ? java.util.Optional.of(claims.getClaims()) : java.util.Optional.empty();
    } catch (ParseException | JOSEException e) {
      return java.util.Optional.empty();
    }
  }
}
