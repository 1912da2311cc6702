package dev.priorityqueues.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.infra.FunctionArchives.MissingArchiveException;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing or wrong function archive stops the program before anything is created. */
class FunctionArchivesTest extends ProgramTest {

  @TempDir Path codeRoot;

  private Throwable failure(Deployment deployment) {
    assertThat(deployment.exitCode()).isNotZero();
    assertThat(deployment.resources()).as("nothing may be created").isEmpty();
    return deployment.exceptions().stream()
        .map(e -> e.getCause() instanceof MissingArchiveException ? e.getCause() : e)
        .filter(MissingArchiveException.class::isInstance)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no MissingArchiveException in " + deployment.exceptions()));
  }

  @Test
  void missingArchivesAreNamedWithHowToBuildThem() {
    Throwable e = failure(Deployment.run(TestSettings.defaults(codeRoot)));

    for (Functions f : Functions.all()) {
      assertThat(e.getMessage()).contains(codeRoot.resolve(f.archive()) + " does not exist");
    }
    assertThat(e.getMessage()).contains("run `mvn -B -DskipTests package` in " + codeRoot);
  }

  @Test
  void anArchiveWithoutItsHandlerIsRefused() {
    FakeArchives.complete(codeRoot);
    FakeArchives.write(codeRoot.resolve(Functions.WORKER.archive()), "dev/priorityqueues/Other.class");

    Throwable e = failure(Deployment.run(TestSettings.defaults(codeRoot)));

    assertThat(e.getMessage())
        .contains("the worker function's archive", "does not contain its handler dev/priorityqueues/worker/WorkerHandler.class")
        .doesNotContain("presign function's archive", "router function's archive");
  }

  @Test
  void aFileThatIsNotAJarIsRefused() throws IOException {
    FakeArchives.complete(codeRoot);
    Files.writeString(codeRoot.resolve(Functions.ROUTER.archive()), "not a zip");

    assertThat(failure(Deployment.run(TestSettings.defaults(codeRoot))).getMessage())
        .contains("the router function's archive", "is not a readable jar");
  }

  @Test
  void completeArchivesAreFound() {
    FakeArchives.complete(codeRoot);
    assertThat(FunctionArchives.verify(codeRoot)).hasSize(Functions.values().length)
        .containsEntry(Functions.PRESIGN, codeRoot.resolve("lambdas/presign/target/presign.jar").toAbsolutePath().normalize());
  }
}
