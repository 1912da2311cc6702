package dev.priorityqueues.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.local.cloud.LocalCloud;
import dev.priorityqueues.local.cloud.LocalStacks;
import dev.priorityqueues.local.cloud.Videos;
import dev.priorityqueues.local.servers.LocalAws;
import dev.priorityqueues.local.web.WebPage;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The upload page in a real browser (Debian's chromium, headless, through its chromedriver):
 * signed in as a seeded user it uploads a real MP4 through the API and a presigned PUT, both
 * across origins under the CORS rules the program declares, watches the video reach DONE and
 * the tier table update. The same page from an origin the stack does not allow fails at the
 * preflight. Also checks the preflights themselves over HTTP, header by header.
 */
@Timeout(180)
class BrowserUploadTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SAMPLE = LocalStacks.projectDir().resolve("lambdas/worker/src/test/resources/samples/sample.mp4");

  /** Above the sample's size, so a larger file shows the API's "too large". */
  static final long MAX_BYTES = 100_000;

  static WebPage page;
  static LocalCloud cloud;
  static WebDriver browser;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    // Never a silent skip: without the browser this test fails and says how to get it.
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("the browser test needs Debian's chromium and chromium-driver (%s, %s); `./pq test` installs them"
            + " when run as root, or run: apt-get install -y chromium chromium-driver", CHROMIUM, CHROMEDRIVER)
        .isTrue();
    page = new WebPage();
    cloud = E2e.start(Map.of(ConfigKey.CORS_ALLOWED_ORIGINS.key(), "[\"" + page.origin() + "\"]",
        ConfigKey.UPLOAD_MAX_BYTES.key(), Long.toString(MAX_BYTES)), o -> o);
    List<WebPage.User> users = List.of(new WebPage.User("premium-user", "premium"), new WebPage.User("free-user", "free"));
    WebPage.seed(cloud, users);
    page.attach(cloud, users);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1100, 1250));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (cloud != null) {
      cloud.close();
    }
    if (page != null) {
      page.close();
    }
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static void open(String origin) {
    browser.get(origin + "/");
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
  }

  private static void upload() {
    upload(SAMPLE);
  }

  private static void upload(Path file) {
    browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    browser.findElement(By.id("upload")).click();
  }

  @Test
  void aRealUploadFromTheAllowedOriginReachesDoneAndTheTierTableUpdates() throws Exception {
    open(page.origin());
    String firstUpdate = text("tiers-updated");
    upload();

    new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> {
      assertThat(text("error")).as("error shown by the page").isEmpty();
      return text("status").equals("DONE");
    });
    assertThat(text("progress-text")).startsWith("uploaded");
    assertThat(text("tier")).isEqualTo("premium");
    assertThat(text("wait")).matches("\\d+(\\.\\d)? m?s");
    assertThat(browser.findElements(By.cssSelector("#outputs a.output"))).isNotEmpty();
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(
        By.xpath("//table[@id='tiers']//tr[@data-tier='premium']/td[6][text()!='0']")).isEmpty());
    assertThat(text("tiers-updated")).isNotEqualTo(firstUpdate);
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d ->
        d.findElement(By.id("recent")).getText().contains("sample.mp4"));

    // The link the status API returned downloads from S3 (a presigned GET, short-lived).
    String href = browser.findElement(By.cssSelector("#outputs a.output")).getDomProperty("href");
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(href)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode()).isEqualTo(200);

    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", "browser-upload.png");
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void theSamePageFromAnOriginTheStackDoesNotAllowFailsThePreflight() {
    String other = "http://127.0.0.1:" + page.port();
    long before = records();
    open(other);
    upload();
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !text("error").isEmpty());
    assertThat(text("error")).contains("Failed to fetch");
    assertThat(records()).as("the POST never reached the function").isEqualTo(before);

    // A valid upload URL does not help that page either: S3 refuses its preflight (403), so the
    // browser never sends the PUT.
    String key = "uploads/elsewhere/x.mp4";
    String url;
    try (S3Presigner presigner = S3Presigner.builder()
        .endpointOverride(cloud.aws().s3Endpoint())
        .region(Region.of(LocalAws.REGION))
        .credentialsProvider(LocalAws.credentials())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build()) {
      url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .putObjectRequest(o -> o.bucket(cloud.output("bucketName")).key(key).contentType("video/mp4")))
          .url().toString();
    }
    Object refusal = ((JavascriptExecutor) browser).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        put(arguments[0], { 'Content-Type': 'video/mp4' }, new Blob(['not sent'])).then(() => done('stored'), (e) => done(e.message));
        """, url);
    assertThat(refusal).isEqualTo("S3 refused the upload before it started (CORS preflight or network)");
    assertThat(cloud.aws().s3().listObjectsV2(b -> b.bucket(cloud.output("bucketName")).prefix(key)).contents())
        .as("the PUT never reached the bucket").isEmpty();
  }

  @Test
  void refusalsAreShownAsTheApiWordsThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    open(page.origin());
    Path big = dir.resolve("big.mp4");
    Files.write(big, new byte[(int) MAX_BYTES + 1]);
    upload(big);
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !text("error").isEmpty());
    assertThat(text("error")).isEqualTo("sizeBytes " + (MAX_BYTES + 1) + " is over the limit of " + MAX_BYTES + " bytes");

    Path notes = dir.resolve("notes.txt");
    Files.writeString(notes, "not a video");
    upload(notes);
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> text("error").contains("text/plain"));
    assertThat(text("error")).startsWith("contentType 'text/plain' is not accepted; send one of video/mp4");

    // An upload URL whose time has passed: the page PUTs to it and shows S3's own refusal, which
    // it can read only because the error carries the bucket rule's CORS headers, as S3's does.
    ((JavascriptExecutor) browser).executeScript(HAND_OUT_URL, expiredPutUrl());
    upload();
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> text("error").startsWith("S3"));
    assertThat(text("error")).isEqualTo("S3 refused the upload: Request has expired (AccessDenied)");
  }

  /** Makes the page's next POST /uploads answer hand out {@code arguments[0]} as its URL. */
  static final String HAND_OUT_URL = """
      const url = arguments[0];
      const real = window.fetch;
      window.fetch = async (input, init) => {
        const response = await real(input, init);
        if (!init || init.method !== 'POST' || !response.ok) return response;
        const body = await response.json();
        body.url = url;
        window.fetch = real;
        return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
      };
      """;

  /**
   * A PUT URL signed with the bucket's real key an hour ago for one second: what a client holds
   * when it uploads after the URL's expiry (the presigner always signs at the present).
   */
  private static String expiredPutUrl() {
    SdkHttpRequest request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.PUT)
        .uri(URI.create(cloud.aws().s3Endpoint() + "/" + cloud.output("bucketName") + "/uploads/late/x.mp4"))
        .build();
    return AwsV4HttpSigner.create().sign(r -> r
        .identity(LocalAws.credentials().resolveCredentials())
        .request(request)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, LocalAws.REGION)
        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(1))
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.offset(Clock.systemUTC(), Duration.ofHours(-1))))
        .request().getUri().toString();
  }

  private static long records() {
    return Videos.all(cloud.dynamoDb(), cloud.output("videosTableName")).size();
  }

  private static HttpResponse<String> preflight(String url, String origin, String method, String headers) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", headers)
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiAnswersPreflightsAsApiGatewayDoesForTheDeclaredOrigins() throws Exception {
    String endpoint = cloud.output("uploadEndpoint");
    HttpResponse<String> allowed = preflight(endpoint, page.origin(), "POST", "authorization,content-type");
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(page.origin());
    assertThat(allowed.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST");
    assertThat(allowed.headers().firstValue("access-control-allow-headers")).hasValue("authorization,content-type");
    assertThat(allowed.headers().firstValue("access-control-max-age")).hasValue("3600");

    HttpResponse<String> refused = preflight(endpoint, "http://127.0.0.1:" + page.port(), "POST", "authorization");
    assertThat(refused.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));

    // A real request from an allowed origin gets the origin back, even when the authorizer refuses it.
    HttpResponse<String> unauthorized = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "/abc"))
        .header("Origin", page.origin()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(unauthorized.headers().firstValue("access-control-allow-origin")).hasValue(page.origin());
  }

  /** The page's token carries both scopes; one that may only upload cannot read (statusJwtScopes). */
  @Test
  void theStatusRoutesRequireTheirOwnScope() throws Exception {
    String endpoint = cloud.output("uploadEndpoint");
    Instant now = Instant.now();
    String uploadOnly = cloud.identity().sign(new JWTClaimsSet.Builder()
        .issuer(cloud.identity().issuer()).audience("priority-queues-dev").subject("premium-user")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
        .claim("scope", "uploads:write").build());
    HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint))
        .header("Authorization", "Bearer " + uploadOnly).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    String signedIn = cloud.identity().issue("premium-user", Duration.ofMinutes(5));
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "?limit=1"))
        .header("Authorization", "Bearer " + signedIn).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theBucketServesItsCorsRuleAndRefusesOtherOriginsWith403() throws Exception {
    String object = cloud.aws().s3Endpoint() + "/" + cloud.output("bucketName") + "/uploads/someone/x.mp4";
    HttpResponse<String> allowed = preflight(object, page.origin(), "PUT", "content-type");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(page.origin());
    assertThat(allowed.headers().firstValue("access-control-allow-methods")).hasValue("PUT");
    assertThat(allowed.headers().firstValue("access-control-expose-headers")).hasValue("ETag");
    assertThat(allowed.headers().firstValue("access-control-max-age")).hasValue("3600");

    HttpResponse<String> refused = preflight(object, "http://127.0.0.1:" + page.port(), "PUT", "content-type");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("<Code>AccessForbidden</Code>",
        "<Message>CORSResponse: This CORS request is not allowed.");
    assertThat(refused.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-allow"));
    assertThat(preflight(object, page.origin(), "DELETE", "content-type").statusCode()).isEqualTo(403);
    assertThat(preflight(object, page.origin(), "PUT", "x-amz-acl").statusCode()).isEqualTo(403);

    // S3's errors carry the rule's CORS headers too (the page reads "Request has expired"), but
    // only for an allowed origin.
    String expired = expiredPutUrl();
    HttpResponse<String> late = put(expired, page.origin());
    assertThat(late.statusCode()).isEqualTo(403);
    assertThat(late.body()).contains("<Code>AccessDenied</Code>", "<Message>Request has expired</Message>");
    assertThat(late.headers().firstValue("access-control-allow-origin")).hasValue(page.origin());
    assertThat(late.headers().firstValue("access-control-expose-headers")).hasValue("ETag");
    HttpResponse<String> lateElsewhere = put(expired, "http://127.0.0.1:" + page.port());
    assertThat(lateElsewhere.statusCode()).isEqualTo(403);
    assertThat(lateElsewhere.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
  }

  private static HttpResponse<String> put(String url, String origin) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofString("late"))
        .header("Origin", origin)
        .header("Content-Type", "video/mp4")
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
