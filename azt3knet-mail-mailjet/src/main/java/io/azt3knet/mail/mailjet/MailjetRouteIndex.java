package io.azt3knet.mail.mailjet;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the provisioner knows of the account's parse routes: every route listed once (pages of 1,000) and
 * cached by lower-cased address, each address's routes sorted by id. Writes made by the provisioner are put
 * in; {@link #relist(String)} lists again after an ambiguous failure, one listing shared by all who need it at the
 * same time; {@link #forget()} drops it all.
 */
final class MailjetRouteIndex {

    private static final Logger LOG = LoggerFactory.getLogger(MailjetRouteIndex.class);

    private final MailjetClient client;
    private final Object loadLock = new Object();
    /** Routes by lower-cased address, each list sorted by id; null until listed. */
    private volatile @Nullable ConcurrentHashMap<String, List<MailjetParseRoute>> routes;
    private final Object relistLock = new Object();
    /** Re-listings started and finished; at most one is under way. Guarded by relistLock. */
    private long startedGeneration;
    private long finishedGeneration;
    private boolean listingUnderWay;
    private Listing lastListing = new Listing(Map.of(), null);

    MailjetRouteIndex(MailjetClient client) {
        this.client = client;
    }

    /** @return the routes of {@code key} (a lower-cased address), oldest first; empty if none */
    List<MailjetParseRoute> routesOf(String key) {
        return routes().getOrDefault(key, List.of());
    }

    /** Records that {@code key} now has exactly these routes (oldest first). */
    void put(String key, List<MailjetParseRoute> found) {
        routes().put(key, List.copyOf(found));
    }

    /** Records that {@code key} has no route. */
    void remove(String key) {
        routes().remove(key);
    }

    /** Calls {@code action} with every address that has at least one route and its routes, oldest first. */
    void forEach(BiConsumer<String, List<MailjetParseRoute>> action) {
        routes().forEach((address, found) -> {
            if (!found.isEmpty()) {
                action.accept(address, found);
            }
        });
    }

    /**
     * Lists all routes again after an ambiguous failure, and merges them in. Callers that need a re-check at the
     * same time share one listing: a caller waits for a listing that <em>started after</em> it called (a listing
     * already under way may predate its failure), and starts one itself when none is under way. So N workers
     * failing together cost one or two listings, not N.
     *
     * @return the oldest route of {@code key} as listed now; empty if there is none
     * @throws RuntimeException what listing threw; the cache is then dropped, so the next call lists first
     */
    Optional<MailjetParseRoute> relist(String key) {
        Listing listing = listingStartedAfterNow();
        if (listing.failure() != null) {
            throw listing.failure();
        }
        List<MailjetParseRoute> forKey = listing.routes().getOrDefault(key, List.of());
        ConcurrentHashMap<String, List<MailjetParseRoute>> cache = routes();
        if (forKey.isEmpty()) {
            cache.remove(key);
            return Optional.empty();
        }
        cache.put(key, forKey);
        return Optional.of(forKey.get(0));
    }

    /** @return how many re-listings have been made (each one lists every page) */
    long relistings() {
        synchronized (relistLock) {
            return finishedGeneration;
        }
    }

    /** One re-listing: every route by address, or why it failed. */
    private record Listing(Map<String, List<MailjetParseRoute>> routes, @Nullable RuntimeException failure) {
    }

    private Listing listingStartedAfterNow() {
        long wanted;
        synchronized (relistLock) {
            wanted = startedGeneration + 1; // the next listing to start is the first that started after now
            while (true) {
                if (finishedGeneration >= wanted) {
                    return lastListing;
                }
                if (!listingUnderWay) {
                    break;
                }
                try {
                    relistLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the routes to be listed", e);
                }
            }
            listingUnderWay = true;
            startedGeneration++;
            wanted = startedGeneration;
        }
        Listing result;
        try {
            Map<String, List<MailjetParseRoute>> listed = group(client.listAllParseRoutes());
            ConcurrentHashMap<String, List<MailjetParseRoute>> cache = routes();
            listed.forEach((address, found) -> cache.merge(address, found, MailjetRouteIndex::union));
            result = new Listing(listed, null);
        } catch (RuntimeException e) {
            routes = null;
            result = new Listing(Map.of(), e);
        }
        synchronized (relistLock) {
            lastListing = result;
            finishedGeneration = wanted;
            listingUnderWay = false;
            relistLock.notifyAll();
        }
        return result;
    }

    /** Forgets everything; the next call lists all routes again. */
    void forget() {
        synchronized (loadLock) {
            routes = null;
        }
    }

    private ConcurrentHashMap<String, List<MailjetParseRoute>> routes() {
        ConcurrentHashMap<String, List<MailjetParseRoute>> r = routes;
        if (r != null) {
            return r;
        }
        synchronized (loadLock) {
            ConcurrentHashMap<String, List<MailjetParseRoute>> loaded = routes;
            if (loaded == null) {
                loaded = new ConcurrentHashMap<>(group(client.listAllParseRoutes()));
                routes = loaded;
                LOG.debug("listed {} Mailjet route addresses", loaded.size());
            }
            return loaded;
        }
    }

    private static Map<String, List<MailjetParseRoute>> group(List<MailjetParseRoute> all) {
        Map<String, List<MailjetParseRoute>> byAddress = new HashMap<>();
        for (MailjetParseRoute r : all) {
            if (!r.email().isBlank()) {
                byAddress.merge(r.email().strip().toLowerCase(Locale.ROOT), List.of(r), MailjetRouteIndex::union);
            }
        }
        return byAddress;
    }

    private static List<MailjetParseRoute> union(List<MailjetParseRoute> a, List<MailjetParseRoute> b) {
        Map<Long, MailjetParseRoute> byId = new HashMap<>();
        a.forEach(r -> byId.put(r.id(), r));
        b.forEach(r -> byId.put(r.id(), r));
        return byId.values().stream().sorted(Comparator.comparingLong(MailjetParseRoute::id)).toList();
    }
}
