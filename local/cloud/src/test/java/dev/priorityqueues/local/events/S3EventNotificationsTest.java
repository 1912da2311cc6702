package dev.priorityqueues.local.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.priorityqueues.local.servers.LocalAws;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class S3EventNotificationsTest {

  @Test
  void emitsObjectCreatedAsS3SendsItToEventBridgeOnlyForEnabledBuckets() throws Exception {
    S3EventNotifications notifications = new S3EventNotifications(LocalAws.REGION, LocalAws.ACCOUNT_ID);
    List<String> events = new CopyOnWriteArrayList<>();
    notifications.sendTo(events::add);
    try (LocalAws aws = LocalAws.start(LocalAws.Options.inMemory().withS3BlobStore(notifications::wrap));
        var s3 = aws.s3()) {
      s3.createBucket(b -> b.bucket("watched"));
      s3.createBucket(b -> b.bucket("quiet"));
      notifications.enableEventBridge("watched");
      s3.putObject(b -> b.bucket("watched").key("uploads/u/a.mp4"), RequestBody.fromString("12345"));
      s3.putObject(b -> b.bucket("quiet").key("uploads/u/b.mp4"), RequestBody.fromString("123"));
    }
    assertThat(events).hasSize(1);
    JsonNode event = new ObjectMapper().readTree(events.get(0));
    assertThat(event.get("source").asText()).isEqualTo("aws.s3");
    assertThat(event.get("detail-type").asText()).isEqualTo("Object Created");
    assertThat(event.get("resources").get(0).asText()).isEqualTo("arn:aws:s3:::watched");
    assertThat(event.at("/detail/bucket/name").asText()).isEqualTo("watched");
    assertThat(event.at("/detail/object/key").asText()).isEqualTo("uploads/u/a.mp4");
    assertThat(event.at("/detail/object/size").asLong()).isEqualTo(5);
    assertThat(event.at("/detail/reason").asText()).isEqualTo("PutObject");
  }
}
