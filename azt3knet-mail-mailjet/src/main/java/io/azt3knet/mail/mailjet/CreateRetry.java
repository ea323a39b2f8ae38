package io.azt3knet.mail.mailjet;

import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.internal.util.Sleeper;
import io.azt3knet.mail.ProviderServiceException;
import io.azt3knet.mail.ProviderTransportException;
import io.azt3knet.mail.QuotaExhaustedException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How often, and after what pause, a create that failed ambiguously is tried again once a re-check found
 * nothing: at most {@code maxAttempts} creates in all, with full-jitter exponential backoff between them (a random
 * pause between zero and {@code min(maxDelay, baseDelay * 2^(attempt-1))}). Sleeping and jitter are injectable so
 * that tests do not wait.
 *
 * @param maxAttempts creates in all, at least 1
 * @param baseDelay the first backoff ceiling
 * @param maxDelay the largest backoff ceiling
 * @param sleeper how to wait
 * @param random jitter source in [0, 1)
 */
record CreateRetry(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper,
        DoubleSupplier random) {

    private static final Logger LOG = LoggerFactory.getLogger(CreateRetry.class);

    CreateRetry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(random, "random");
    }

    /** @return 4 creates at most, 250 ms first ceiling, 4 s largest, real sleeping */
    static CreateRetry defaults() {
        return new CreateRetry(4, Duration.ofMillis(250), Duration.ofSeconds(4),
                Sleeper.SYSTEM,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param failure what a create threw
     * @return whether the provider may have acted although no usable success came back (no answer, a 5xx, or a
     *     2xx whose body could not be read): only then is a re-check worth it. A refusal (4xx, an exhausted quota)
     *     means nothing was done; so does a connection that could not be made (the request never left, and the HTTP
     *     layer has already tried it again).
     */
    static boolean ambiguous(RuntimeException failure) {
        if (failure instanceof QuotaExhaustedException) {
            return false;
        }
        if (failure instanceof ProviderTransportException t) {
            return !neverSent(t);
        }
        return failure instanceof ProviderServiceException s && (s.statusCode() >= 500 || s.statusCode() < 300);
    }

    private static boolean neverSent(Throwable failure) {
        for (Throwable c = failure.getCause(); c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates something that must exist once (a sender, an API key): after a failure that may hide a success (no
     * answer, a 5xx) or that says it exists already (Mailjet's 400 for a duplicate), looks again and returns what it
     * finds; when it finds nothing, pauses (backoff with full jitter) and creates again, {@link #maxAttempts} creates
     * at most. A refusal (authentication, permission, throttling) is thrown at once: looking again would not help.
     *
     * @param what what is created, for the log line (already escaped)
     * @param create makes it
     * @param lookAgain finds it, reading the provider again (not a cache)
     * @param <T> what is created
     * @return what was created or found
     */
    <T> T createOnce(String what, Supplier<T> create, Supplier<Optional<T>> lookAgain) {
        for (int attempt = 1; ; attempt++) {
            try {
                return create.get();
            } catch (ProviderTransportException | ProviderServiceException e) {
                boolean exists = e instanceof ProviderServiceException s && s.statusCode() == 400;
                if (!exists && !ambiguous(e)) {
                    throw e;
                }
                LOG.warn("creating {} failed ({}, attempt {} of {}); looking again before any new create", what,
                        LogText.escape(e.getMessage()), attempt, maxAttempts);
                Optional<T> again;
                try {
                    again = lookAgain.get();
                } catch (RuntimeException recheck) {
                    e.addSuppressed(recheck);
                    throw e;
                }
                if (again.isPresent()) {
                    return again.get();
                }
                if (exists || attempt >= maxAttempts || !pause(attempt)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Pauses before the next create.
     *
     * @param failedAttempts creates made so far, from 1
     * @return false if interrupted (the flag is set again): stop trying
     */
    boolean pause(int failedAttempts) {
        long ceiling = Math.min(maxDelay.toNanos(), baseDelay.toNanos() << Math.min(failedAttempts - 1, 20));
        long nanos = (long) (ceiling * random.getAsDouble());
        try {
            sleeper.sleepNanos(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
