package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

class HandOffTest {

    @RepeatedTest(200) // the stop races the waiting put: every interleaving must hold
    void itemsComeInOrderAndAProducerWaitingForRoomGivesUpWhenTheConsumerStops() throws Exception {
        HandOff<Integer> q = new HandOff<>(2);
        assertThat(q.put(1)).isTrue();
        assertThat(q.put(2)).isTrue();
        assertThat(q.take()).isEqualTo(1);
        assertThat(q.put(3)).isTrue();

        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> q.put(4)); // the queue is full
        assertThat(q.poll(TimeUnit.MILLISECONDS.toNanos(50))).isEqualTo(2);
        assertThat(blocked.get(5, TimeUnit.SECONDS)).as("room made: the waiting put goes through").isTrue();

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> q.put(5)); // full again: 3, 4
        q.stop();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).as("the consumer stopped: the producer gives up").isFalse();
        assertThat(q.stopped()).isTrue();
        assertThat(q.poll(0)).as("what was queued is dropped").isNull();
        assertThat(q.put(6)).isFalse();
    }
}
