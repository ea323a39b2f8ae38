package io.azt3knet.mail.test.fake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shared base of the provider fakes: a stateful WireMock extension that answers every request itself, on
 * a WireMock server bound to 127.0.0.1 on a free port. Subclasses implement {@link #respond(ServeEvent)} (called
 * under the fake's lock).
 *
 * <p>Faults can be injected on any request, by method and path, either <em>instead of</em> the fake acting (the
 * server did nothing: a refusal, a throttle, a reset before the request was read) or <em>after</em> it acted (the
 * state changed, then the answer was lost or broken: a reset, a timeout, a 500, a body that is not JSON):
 *
 * <pre>{@code
 * FakeMailjet fake = new FakeMailjet();
 * fake.startServer();
 * fake.failNext("POST", "/v3/REST/sender", 1, com.github.tomakehurst.wiremock.client.WireMock.aResponse()
 *         .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)); // nothing created
 * fake.afterNext("POST", "/v3/REST/apikey", 1, com.github.tomakehurst.wiremock.client.WireMock.aResponse()
 *         .withStatus(500));                                                             // created, answer lost
 * fake.failNext("GET", "/v3/REST/dns/.*", Integer.MAX_VALUE, com.github.tomakehurst.wiremock.client.WireMock
 *         .aResponse().withStatus(502));                                                 // for good
 * fake.stopServer();
 * }</pre>
 *
 * Requests are counted by WireMock's journal ({@link #startServer()} returns the server), injected faults included.
 */
public abstract class FakeProviderServer implements ResponseDefinitionTransformerV2 {

    /** One injected fault: which requests, before or after acting, how many more times, and the answer. */
    private static final class Injected {
        final String method;
        final Pattern path;
        final boolean afterActing;
        final ResponseDefinition answer;
        int remaining;

        Injected(String method, Pattern path, boolean afterActing, ResponseDefinition answer, int remaining) {
            this.method = method;
            this.path = path;
            this.afterActing = afterActing;
            this.answer = answer;
            this.remaining = remaining;
        }
    }

    private @Nullable WireMockServer server;
    private final List<Injected> injected = new ArrayList<>();

    /** A fake with no server yet; start it with {@link #startServer()}. */
    protected FakeProviderServer() {
    }

    /**
     * Starts WireMock on 127.0.0.1 on a free port, with this fake answering every request.
     *
     * @return the running server, whose request journal tests may inspect
     */
    public final synchronized WireMockServer startServer() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        WireMockServer s = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(64)
                .extensions(this));
        s.start();
        // the fake transforms every answer; a request it does not know ends as this 500
        s.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        server = s;
        return s;
    }

    /** Stops the server started by {@link #startServer()}. */
    public final void stopServer() {
        running().stop();
    }

    /** @return {@code http://127.0.0.1:<port>}, the root of the running server */
    protected final URI base() {
        return URI.create("http://127.0.0.1:" + running().port());
    }

    /** @return the running server */
    protected final synchronized WireMockServer running() {
        WireMockServer s = server;
        if (s == null) {
            throw new IllegalStateException("call startServer() first");
        }
        return s;
    }

    /**
     * The next {@code times} requests with this method whose path matches {@code pathRegex} are answered like this,
     * and the fake does nothing for them: the provider refused, or the connection broke before it acted.
     *
     * @param method the HTTP method, e.g. {@code "POST"}
     * @param pathRegex a regular expression the whole path (without query) must match
     * @param times how many requests, {@link Integer#MAX_VALUE} for all from now on
     * @param answer the answer: a status and body, a {@link com.github.tomakehurst.wiremock.http.Fault}, a delay
     */
    public final synchronized void failNext(String method, String pathRegex, int times, ResponseDefinitionBuilder answer) {
        inject(method, pathRegex, times, answer, false);
    }

    /**
     * The next {@code times} requests with this method whose path matches {@code pathRegex} are carried out (the
     * state changes as usual), then answered like this instead: the answer was lost, late or broken.
     *
     * @param method the HTTP method, e.g. {@code "POST"}
     * @param pathRegex a regular expression the whole path (without query) must match
     * @param times how many requests, {@link Integer#MAX_VALUE} for all from now on
     * @param answer the answer that replaces the fake's own
     */
    public final synchronized void afterNext(String method, String pathRegex, int times, ResponseDefinitionBuilder answer) {
        inject(method, pathRegex, times, answer, true);
    }

    /** Removes every fault injected by {@link #failNext} and {@link #afterNext} that is still pending. */
    public final synchronized void clearFaults() {
        injected.clear();
    }

    private void inject(String method, String pathRegex, int times, ResponseDefinitionBuilder answer, boolean after) {
        Objects.requireNonNull(answer, "answer");
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        injected.add(new Injected(method.toUpperCase(Locale.ROOT), Pattern.compile(pathRegex), after, answer.build(),
                times));
    }

    @Override
    public final synchronized ResponseDefinition transform(ServeEvent event) {
        Request req = event.getRequest();
        ResponseDefinition instead = take(req, false);
        if (instead != null) {
            return instead;
        }
        ResponseDefinition answer = respond(event);
        ResponseDefinition after = take(req, true);
        return after != null ? after : answer;
    }

    private @Nullable ResponseDefinition take(Request req, boolean afterActing) {
        String method = req.getMethod().getName();
        String path = req.getUrl().split("\\?", 2)[0];
        for (Iterator<Injected> it = injected.iterator(); it.hasNext(); ) {
            Injected i = it.next();
            if (i.afterActing == afterActing && i.method.equals(method) && i.path.matcher(path).matches()) {
                if (i.remaining != Integer.MAX_VALUE && --i.remaining == 0) {
                    it.remove();
                }
                return i.answer;
            }
        }
        return null;
    }

    /**
     * Answers one request and changes the fake's state accordingly; called under the fake's lock, unless an injected
     * fault answers instead.
     *
     * @param event the request
     * @return the answer
     */
    protected abstract ResponseDefinition respond(ServeEvent event);
}
