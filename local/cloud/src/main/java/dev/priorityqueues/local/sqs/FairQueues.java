package dev.priorityqueues.local.sqs;

import dev.priorityqueues.local.sdk.CallHook;
import dev.priorityqueues.local.sdk.Caller;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * SQS fair queues, emulated over ElasticMQ, which has none. On AWS a standard queue whose
 * messages carry a {@code MessageGroupId} is a fair queue: when one tenant (group) has many
 * messages in flight, SQS returns other tenants' messages first, so a noisy tenant cannot make
 * everyone else wait behind its backlog.
 *
 * <p>Here each tenant of a queue gets a hidden queue of its own, created with the queue's own
 * attributes (so its redrive policy sends to the same DLQ). Sends with a group go to the tenant's
 * queue; a receive on the queue is served from the tenant with the fewest messages in flight that
 * may have visible messages; deletes and visibility changes follow their receipt handle; queue
 * attributes are summed over the tenants. Callers see one queue, as on AWS.
 */
public final class FairQueues implements CallHook {

  private static final ThreadLocal<Boolean> INTERNAL = ThreadLocal.withInitial(() -> false);

  /** One tenant of a fair queue: its hidden queue and what the emulator knows of it. */
  private static final class Tenant {
    final Queue queue;
    final String url;
    final AtomicInteger inFlight = new AtomicInteger();
    /** Epoch ms after which the tenant may have visible messages; 0 = known empty. */
    private long visibleFrom;
    /** Bumped by every event that may make a message visible; guards against stale "empty". */
    private long marks;

    Tenant(Queue queue, String url) {
      this.queue = queue;
      this.url = url;
    }

    synchronized boolean candidate(long now) {
      return visibleFrom != 0 && visibleFrom <= now;
    }

    synchronized void mayHaveVisibleFrom(long when) {
      visibleFrom = visibleFrom == 0 ? when : Math.min(visibleFrom, when);
      marks++;
    }

    synchronized long marks() {
      return marks;
    }

    /** A receive found nothing: empty, unless something was sent or released since it began. */
    synchronized void foundEmpty(long marksWhenAsked) {
      if (marks == marksWhenAsked) {
        visibleFrom = 0;
      }
    }
  }

  /** A fair queue: the tenants, the queue itself standing for messages without a group. */
  private static final class Queue {
    final String url;
    final Map<QueueAttributeName, String> attributes;
    final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    /** Numbers the tenants' hidden queues: a hash of the group could give two groups one queue. */
    final AtomicInteger tenantNumbers = new AtomicInteger();
    /** When this queue's tenants were last all marked as maybe visible (each queue sweeps on its own). */
    final AtomicLong lastSweep = new AtomicLong();
    final Tenant ungrouped;
    final int visibilitySeconds;

    Queue(String url, Map<QueueAttributeName, String> attributes) {
      this.url = url;
      this.attributes = attributes;
      this.ungrouped = new Tenant(this, url);
      // Messages without a group may already be waiting on the queue itself.
      this.ungrouped.mayHaveVisibleFrom(1);
      this.visibilitySeconds = Integer.parseInt(attributes.getOrDefault(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
    }

    List<Tenant> all() {
      List<Tenant> all = new ArrayList<>(tenants.values());
      all.add(ungrouped);
      return all;
    }
  }

  private record InFlight(Tenant tenant, long expiresAt) {}

  private final SqsClient sqs;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  private final Map<String, InFlight> handles = new ConcurrentHashMap<>();
  private final Map<String, Tenant> tenantsByUrl = new ConcurrentHashMap<>();
  private final AtomicInteger turn = new AtomicInteger();
  /** The tenant a receive on this thread was sent to, and its marks when it was sent. */
  private final ThreadLocal<long[]> asked = new ThreadLocal<>();
  /** Every so often every tenant is asked again, whatever the bookkeeping says. */
  private static final long SWEEP_MILLIS = 10_000;

  public FairQueues(SqsClient sqs) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
  }

  /** Makes a standard queue fair for the messages sent to it with a group. */
  public void enable(String queueUrl) {
    queues.computeIfAbsent(queueUrl, url -> {
      Queue queue = internal(() -> new Queue(url, new HashMap<>(
          sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
              QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.MESSAGE_RETENTION_PERIOD,
              QueueAttributeName.REDRIVE_POLICY, QueueAttributeName.DELAY_SECONDS)).attributes())));
      tenantsByUrl.put(url, queue.ungrouped);
      return queue;
    });
  }

  /** How many tenants a queue has seen so far. */
  public int tenants(String queueUrl) {
    Queue queue = queues.get(queueUrl);
    return queue == null ? 0 : queue.tenants.size();
  }

  @Override
  public SdkRequest modifyRequest(Caller caller, String service, String operation, SdkRequest request) {
    if (INTERNAL.get() || !"Sqs".equals(service)) {
      return request;
    }
    return switch (request) {
      case SendMessageRequest send -> send(send);
      case ReceiveMessageRequest receive -> receive(receive);
      case DeleteMessageRequest delete -> byHandle(delete.queueUrl(), delete.receiptHandle())
          .map(t -> {
            handles.remove(delete.receiptHandle());
            t.inFlight.decrementAndGet();
            return (SdkRequest) delete.toBuilder().queueUrl(t.url).build();
          })
          .orElse(delete);
      case ChangeMessageVisibilityRequest change -> byHandle(change.queueUrl(), change.receiptHandle())
          .map(t -> {
            long expires = System.currentTimeMillis() + change.visibilityTimeout() * 1000L;
            handles.put(change.receiptHandle(), new InFlight(t, expires));
            return (SdkRequest) change.toBuilder().queueUrl(t.url).build();
          })
          .orElse(change);
      case DeleteMessageBatchRequest batch -> deleteBatch(batch);
      default -> request;
    };
  }

  @Override
  public SdkResponse modifyResponse(
      Caller caller, String service, String operation, SdkRequest request, SdkResponse response) {
    if (INTERNAL.get()) {
      return response;
    }
    if (request instanceof ReceiveMessageRequest receive && response instanceof ReceiveMessageResponse received) {
      Tenant tenant = tenantsByUrl.get(receive.queueUrl());
      if (tenant != null) {
        long[] marks = asked.get();
        asked.remove();
        if (received.hasMessages() && !received.messages().isEmpty()) {
          record(tenant, receive, received.messages());
        } else {
          if (marks != null) {
            tenant.foundEmpty(marks[0]);
          }
          if (!tenant.queue.tenants.isEmpty()) {
            List<Message> others = fromOtherTenants(tenant, receive);
            if (!others.isEmpty()) {
              return received.toBuilder().messages(others).build();
            }
          }
        }
      }
    }
    if (request instanceof DeleteMessageBatchRequest) {
      return completeDeleteBatch(response);
    }
    if (request instanceof GetQueueAttributesRequest get && response instanceof GetQueueAttributesResponse answer) {
      Queue queue = queues.get(get.queueUrl());
      if (queue != null && !queue.tenants.isEmpty()) {
        return sumOverTenants(queue, get, answer);
      }
    }
    return response;
  }

  private SdkRequest send(SendMessageRequest send) {
    Queue queue = queues.get(send.queueUrl());
    if (queue == null) {
      return send;
    }
    long visibleAt = System.currentTimeMillis() + (send.delaySeconds() == null ? 0 : send.delaySeconds() * 1000L);
    if (send.messageGroupId() == null) {
      queue.ungrouped.mayHaveVisibleFrom(visibleAt);
      return send;
    }
    Tenant tenant = queue.tenants.computeIfAbsent(send.messageGroupId(), group -> createTenant(queue));
    tenant.mayHaveVisibleFrom(visibleAt);
    return send.toBuilder().queueUrl(tenant.url).build();
  }

  private SdkRequest receive(ReceiveMessageRequest receive) {
    Queue queue = queues.get(receive.queueUrl());
    if (queue == null) {
      return receive;
    }
    List<Tenant> candidates = candidates(queue);
    asked.remove();
    if (candidates.isEmpty()) {
      // Nothing known to be visible: poll the queue itself briefly, not for the caller's full
      // long poll, because a message sent meanwhile lands in a tenant's queue, not this one.
      int wait = receive.waitTimeSeconds() == null ? 0 : Math.min(1, receive.waitTimeSeconds());
      return receive.toBuilder().waitTimeSeconds(wait).build();
    }
    Tenant chosen = candidates.get(0);
    asked.set(new long[] {chosen.marks()});
    return receive.toBuilder().queueUrl(chosen.url).waitTimeSeconds(0).build();
  }

  /** Tenants that may have visible messages: fewest in flight first, ties taking turns. */
  private List<Tenant> candidates(Queue queue) {
    long now = System.currentTimeMillis();
    releaseExpired(now);
    long last = queue.lastSweep.get();
    if (now - last >= SWEEP_MILLIS && queue.lastSweep.compareAndSet(last, now)) {
      // Liveness: a message can come back in ways the emulator does not see (a redrive, say).
      queue.all().forEach(t -> t.mayHaveVisibleFrom(now));
    }
    int offset = turn.getAndIncrement();
    List<Tenant> all = queue.all();
    List<Tenant> candidates = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Tenant tenant = all.get(Math.floorMod(i + offset, all.size()));
      if (tenant.candidate(now)) {
        candidates.add(tenant);
      }
    }
    candidates.sort(Comparator.comparingInt(t -> t.inFlight.get()));
    return candidates;
  }

  /**
   * A receive served from a tenant that turned out empty: SQS would have answered from another
   * tenant in the same call, so the next candidates are tried before answering.
   */
  private List<Message> fromOtherTenants(Tenant emptied, ReceiveMessageRequest asSent) {
    for (Tenant tenant : candidates(emptied.queue)) {
      if (tenant == emptied) {
        continue;
      }
      long marks = tenant.marks();
      List<Message> messages = internal(() -> sqs.receiveMessage(asSent.toBuilder().queueUrl(tenant.url).build()).messages());
      if (!messages.isEmpty()) {
        record(tenant, asSent, messages);
        return messages;
      }
      tenant.foundEmpty(marks);
    }
    return List.of();
  }

  private void record(Tenant tenant, ReceiveMessageRequest receive, List<Message> messages) {
    long now = System.currentTimeMillis();
    int visibility = receive.visibilityTimeout() != null ? receive.visibilityTimeout() : tenant.queue.visibilitySeconds;
    for (Message message : messages) {
      tenant.inFlight.incrementAndGet();
      handles.put(message.receiptHandle(), new InFlight(tenant, now + visibility * 1000L));
    }
  }

  private SdkRequest deleteBatch(DeleteMessageBatchRequest batch) {
    Queue queue = queues.get(batch.queueUrl());
    if (queue == null) {
      return batch;
    }
    Map<Tenant, List<DeleteMessageBatchRequestEntry>> byTenant = new HashMap<>();
    for (DeleteMessageBatchRequestEntry entry : batch.entries()) {
      InFlight inFlight = handles.remove(entry.receiptHandle());
      Tenant tenant = inFlight == null ? queue.ungrouped : inFlight.tenant();
      if (inFlight != null) {
        tenant.inFlight.decrementAndGet();
      }
      byTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(entry);
    }
    // All but one tenant are deleted here; the request goes on for the last one.
    List<Map.Entry<Tenant, List<DeleteMessageBatchRequestEntry>>> groups = new ArrayList<>(byTenant.entrySet());
    for (Map.Entry<Tenant, List<DeleteMessageBatchRequestEntry>> group : groups.subList(1, groups.size())) {
      internal(() -> sqs.deleteMessageBatch(b -> b.queueUrl(group.getKey().url).entries(group.getValue())));
    }
    Map.Entry<Tenant, List<DeleteMessageBatchRequestEntry>> last = groups.get(0);
    pendingBatchSuccesses.set(groups.subList(1, groups.size()).stream()
        .flatMap(g -> g.getValue().stream())
        .map(e -> DeleteMessageBatchResultEntry.builder().id(e.id()).build())
        .toList());
    return batch.toBuilder().queueUrl(last.getKey().url).entries(last.getValue()).build();
  }

  /** Entries deleted internally by {@link #deleteBatch}, added back to the caller's response. */
  private final ThreadLocal<List<DeleteMessageBatchResultEntry>> pendingBatchSuccesses = ThreadLocal.withInitial(List::of);

  /** Folds the internally deleted entries back into a batch delete's response. */
  private SdkResponse completeDeleteBatch(SdkResponse response) {
    List<DeleteMessageBatchResultEntry> extra = pendingBatchSuccesses.get();
    pendingBatchSuccesses.remove();
    if (extra.isEmpty() || !(response instanceof DeleteMessageBatchResponse batch)) {
      return response;
    }
    List<DeleteMessageBatchResultEntry> successful = new ArrayList<>(batch.successful());
    successful.addAll(extra);
    return batch.toBuilder().successful(successful).build();
  }

  private GetQueueAttributesResponse sumOverTenants(Queue queue, GetQueueAttributesRequest get, GetQueueAttributesResponse answer) {
    Map<String, String> summed = new HashMap<>(answer.attributesAsStrings());
    for (Tenant tenant : queue.tenants.values()) {
      Map<String, String> attributes = internal(() ->
          sqs.getQueueAttributes(b -> b.queueUrl(tenant.url).attributeNamesWithStrings(get.attributeNamesAsStrings()))
              .attributesAsStrings());
      attributes.forEach((name, value) -> {
        if (name.startsWith("ApproximateNumberOfMessages") && summed.containsKey(name)) {
          summed.put(name, Long.toString(Long.parseLong(summed.get(name)) + Long.parseLong(value)));
        }
      });
    }
    return answer.toBuilder().attributesWithStrings(summed).build();
  }

  private Tenant createTenant(Queue queue) {
    String name = queueName(queue.url) + "-t" + queue.tenantNumbers.incrementAndGet();
    String url = internal(() -> sqs.createQueue(b -> b.queueName(name).attributes(queue.attributes)).queueUrl());
    Tenant tenant = new Tenant(queue, url);
    tenantsByUrl.put(url, tenant);
    return tenant;
  }

  private void releaseExpired(long now) {
    handles.entrySet().removeIf(entry -> {
      InFlight inFlight = entry.getValue();
      if (inFlight.expiresAt() <= now) {
        inFlight.tenant().inFlight.decrementAndGet();
        inFlight.tenant().mayHaveVisibleFrom(now);
        return true;
      }
      return false;
    });
  }

  private java.util.Optional<Tenant> byHandle(String queueUrl, String handle) {
    if (!queues.containsKey(queueUrl)) {
      return java.util.Optional.empty();
    }
    InFlight inFlight = handles.get(handle);
    return java.util.Optional.ofNullable(inFlight == null ? null : inFlight.tenant());
  }

  private static String queueName(String url) {
    String path = URI.create(url).getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static <T> T internal(java.util.function.Supplier<T> call) {
    boolean previous = INTERNAL.get();
    INTERNAL.set(true);
    try {
      return Caller.DRIVER.run(call);
    } finally {
      INTERNAL.set(previous);
    }
  }
}
