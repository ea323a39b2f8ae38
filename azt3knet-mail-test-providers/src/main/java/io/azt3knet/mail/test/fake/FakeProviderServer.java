package io.azt3knet.mail.test.fake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * The shared base of the provider fakes: a stateful WireMock extension that answers every request itself, on
 * a WireMock server bound to 127.0.0.1 on a free port. Subclasses implement
 * {@link ResponseDefinitionTransformerV2#transform} under their own lock.
 */
public abstract class FakeProviderServer implements ResponseDefinitionTransformerV2 {

    private @Nullable WireMockServer server;

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
}
