package io.azt3knet.mail.naming;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * Finds the first free three-digit candidate {@code start, start+1, ..., start+999 (mod 1000)} for one
 * base name and second, in O(1) amortized time: it remembers runs of taken candidates (a union-find over
 * the cycle with path compression), so that thousands of agents with the same name and second never
 * rescan what earlier ones already walked. Candidates only ever become taken, never free again, which is
 * what makes the remembered runs stay true. Not thread-safe: the namer calls it under its lock.
 */
final class CandidateCycle {

    /** Number of candidates: three digits. */
    static final int SIZE = 1000;

    // slot -> length of a run of taken slots that starts there (slot, slot+1, ... mod SIZE), 1..SIZE
    private final Map<Integer, Integer> takenRuns = new HashMap<>();
    private final int[] pathSlots = new int[SIZE];
    private final int[] pathDistances = new int[SIZE];

    /**
     * Finds the first free candidate from {@code start} on, visiting each of the {@value #SIZE} at most
     * once, and records it as taken: the caller must take it.
     *
     * @param start the agent's own digits, 0..999
     * @param taken whether a candidate not yet seen by this cycle is taken (e.g. reserved, or used)
     * @return the free candidate, or empty when all {@value #SIZE} are taken
     */
    OptionalInt takeFirstFree(int start, IntPredicate taken) {
        int path = 0;
        int distance = 0;
        while (distance < SIZE) {
            int slot = (start + distance) % SIZE;
            Integer run = takenRuns.get(slot);
            if (run == null && !taken.test(slot)) {
                for (int i = 0; i < path; i++) {
                    // from each slot walked over, one jump reaches past the slot now taken
                    takenRuns.put(pathSlots[i], distance + 1 - pathDistances[i]);
                }
                takenRuns.put(slot, 1);
                return OptionalInt.of(slot);
            }
            pathSlots[path] = slot;
            pathDistances[path] = distance;
            path++;
            distance += run == null ? 1 : run;
        }
        for (int i = 0; i < path; i++) {
            takenRuns.put(pathSlots[i], SIZE);
        }
        return OptionalInt.empty();
    }
}
