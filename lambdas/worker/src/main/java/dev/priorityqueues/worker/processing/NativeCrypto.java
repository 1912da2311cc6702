package dev.priorityqueues.worker.processing;

import java.lang.reflect.InvocationTargetException;
import java.security.Provider;
import java.security.Security;

/**
 * Puts the FFmpeg layer's native crypto provider, the Amazon Corretto Crypto Provider (ACCP, on
 * AWS-LC), ahead of the JDK's, when the layer has put it on the classpath (Lambda's Java runtime
 * adds /opt/java/lib/*.jar). Why: Lambda's {@code java21} compiles with C1 only, which has no
 * intrinsics for SHA-256 or AES-GCM, so every byte the worker uploads is hashed (SigV4 over plain
 * HTTP) or encrypted (TLS) in plain Java. For 62 MB of outputs under C1 that took 0.8-1.0 s of CPU
 * for SHA-256 and 3.5 s for AES-GCM; with ACCP, 0.07-0.13 s and 0.05-0.08 s (docs/design.md). The
 * provider stays out of the worker's jar: its native library is 9 MB per architecture.
 *
 * <p>Its SecureRandom is not registered: the JDK's stays the default, the generator Lambda's
 * SnapStart guide ("Handling uniqueness") names as safe to use across restores. Where the provider is absent (the local cloud's
 * in-process worker, a worker without the layer) or its native library does not load, the JDK's
 * providers serve, and {@link #install} says why.
 */
public final class NativeCrypto {
  private NativeCrypto() {}

  /** The provider's class, in the layer's {@code java/lib/AmazonCorrettoCryptoProvider.jar}. */
  static final String PROVIDER_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
  /** ACCP reads this when its class initializes: false keeps the JDK's SecureRandom. */
  static final String REGISTER_SECURE_RANDOM = "com.amazon.corretto.crypto.provider.registerSecureRandom";

  /** Installs the provider once per JVM; @return what the worker's crypto runs on, for its init log line */
  public static String install() {
    return install(PROVIDER_CLASS);
  }

  static synchronized String install(String className) {
    Class<?> type;
    try {
      type = Class.forName(className, false, NativeCrypto.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return "the JDK's (no native provider on the classpath)";
    }
    try {
      if (System.getProperty(REGISTER_SECURE_RANDOM) == null) {
        System.setProperty(REGISTER_SECURE_RANDOM, "false");
      }
      Provider provider = (Provider) type.getField("INSTANCE").get(null);
      // Throws when the native library did not load or failed its self-tests.
      type.getMethod("assertHealthy").invoke(provider);
      if (Security.getProvider(provider.getName()) == null) {
        Security.insertProviderAt(provider, 1);
      }
      return provider.getName() + " " + provider.getVersionStr();
    } catch (InvocationTargetException e) {
      return "the JDK's (" + className + " is unhealthy: " + e.getCause() + ")";
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      return "the JDK's (" + className + " did not load: " + e + ")";
    }
  }
}
