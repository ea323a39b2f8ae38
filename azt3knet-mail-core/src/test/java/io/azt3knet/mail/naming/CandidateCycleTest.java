package io.azt3knet.mail.naming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class CandidateCycleTest {

    @Test
    void visitsEveryCandidateOnceThenReportsExhaustion() {
        CandidateCycle cycle = new CandidateCycle();
        BitSet taken = new BitSet();
        for (int i = 0; i < CandidateCycle.SIZE; i++) {
            OptionalInt slot = cycle.takeFirstFree(500, taken::get);
            assertThat(slot).isPresent();
            assertThat(slot.getAsInt()).isEqualTo((500 + i) % CandidateCycle.SIZE);
            taken.set(slot.getAsInt());
        }
        assertThat(cycle.takeFirstFree(500, taken::get)).isEmpty();
        assertThat(cycle.takeFirstFree(3, taken::get)).isEmpty();
    }

    @Test
    void neverRescansWhatEarlierCallsWalkedEvenWhenEveryAgentStartsAtTheSameCandidate() {
        CandidateCycle cycle = new CandidateCycle();
        BitSet taken = new BitSet();
        AtomicLong probes = new AtomicLong();
        IntPredicate counted = slot -> {
            probes.incrementAndGet();
            return taken.get(slot);
        };
        for (int i = 0; i < CandidateCycle.SIZE; i++) {
            taken.set(cycle.takeFirstFree(0, counted).getAsInt());
        }
        // a rescan from the start would take 1000 * 999 / 2 = 499,500 probes
        assertThat(probes.get()).isLessThanOrEqualTo(CandidateCycle.SIZE);
    }

    @Test
    void skipsCandidatesTakenOutsideTheCycleAndRemembersThem() {
        CandidateCycle cycle = new CandidateCycle();
        BitSet taken = new BitSet();
        taken.set(10, 20); // e.g. reserved addresses
        AtomicLong probes = new AtomicLong();
        IntPredicate counted = slot -> {
            probes.incrementAndGet();
            return taken.get(slot);
        };
        assertThat(cycle.takeFirstFree(10, counted)).hasValue(20);
        taken.set(20);
        long firstWalk = probes.get();
        assertThat(cycle.takeFirstFree(12, counted)).hasValue(21);
        assertThat(firstWalk).isEqualTo(11);
        assertThat(probes.get() - firstWalk).isEqualTo(1);
    }
}
