package dev.priorityqueues.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.common.testing.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer's crypto provider (its jar is on this module's test classpath, as the layer puts it on
 * Lambda's): installed, it serves the hashes, MACs and ciphers the SDK and TLS ask for, but not
 * SecureRandom; S3 accepts the uploads signed while it is installed; absent, the JDK's providers serve.
 */
class NativeCryptoTest {

  @AfterAll
  static void uninstall() {
    // The module's other tests run on the JDK's providers, as they would without the layer.
    Security.removeProvider("AmazonCorrettoCryptoProvider");
  }

  @Test
  void theProviderServesHashesMacsAndCiphersButNotRandomness() throws Exception {
    assertThat(NativeCrypto.install()).startsWith("AmazonCorrettoCryptoProvider 2.");
    assertThat(NativeCrypto.install()).as("a second install changes nothing").startsWith("AmazonCorrettoCryptoProvider");
    assertThat(Security.getProviders()[0].getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    assertThat(Mac.getInstance("HmacSHA256").getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    assertThat(new SecureRandom().getProvider().getName()).as("the JDK's, safe to restore from a SnapStart snapshot")
        .isNotEqualTo("AmazonCorrettoCryptoProvider");
  }

  @Test
  void s3AcceptsUploadsSignedWhileItIsInstalled(@TempDir Path dir) throws Exception {
    NativeCrypto.install();
    String bucket = "native-crypto-" + System.nanoTime();
    TestStack.s3().createBucket(b -> b.bucket(bucket));
    int part = 5 * 1024 * 1024;
    byte[] body = new byte[part + 4321]; // two parts: each part's SigV4 payload hash goes through the provider
    new Random(11).nextBytes(body);
    Path file = Files.write(dir.resolve("360p.mp4"), body);

    assertThat(new OutputUploader(TestStack.s3(), bucket, part).upload(file, "processed/v/360p.mp4", "video/mp4"))
        .isEqualTo(2);
    assertThat(TestStack.s3().getObjectAsBytes(b -> b.bucket(bucket).key("processed/v/360p.mp4")).asByteArray())
        .isEqualTo(body);
  }

  @Test
  void withoutTheProviderTheJdksServeAndTheLogSaysSo() {
    assertThat(NativeCrypto.install("com.example.NoSuchProvider"))
        .isEqualTo("the JDK's (no native provider on the classpath)");
    assertThat(NativeCrypto.install(String.class.getName())).as("a class that is no provider")
        .startsWith("the JDK's (java.lang.String did not load: ");
  }
}
