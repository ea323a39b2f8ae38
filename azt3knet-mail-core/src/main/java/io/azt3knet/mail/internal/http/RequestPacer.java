package io.azt3knet.mail.internal.http;

import io.azt3knet.mail.QuotaExhaustedException;

/**
 * Client-side pacing: called before every attempt of a request and after every answer, so that a client
 * stays under a provider's rate limit instead of running into it.
 */
public interface RequestPacer {

    /** A pacer that never waits. */
    RequestPacer NONE = new RequestPacer() {
        @Override
        public void acquire(HttpRequestSpec request) {
        }

        @Override
        public void onResponse(HttpRequestSpec request, int status) {
        }
    };

    /**
     * Waits until the request may be sent.
     *
     * @param request the request about to be sent
     * @throws QuotaExhaustedException if the wait would exceed the pacer's longest allowed wait
     */
    void acquire(HttpRequestSpec request);

    /**
     * Learns from an answer, e.g. slows down after a 429.
     *
     * @param request the request sent
     * @param status the HTTP status received
     */
    void onResponse(HttpRequestSpec request, int status);

    /**
     * @param others pacers to apply after this one
     * @return a pacer applying this one and then the others
     */
    default RequestPacer andThen(RequestPacer... others) {
        RequestPacer first = this;
        return new RequestPacer() {
            @Override
            public void acquire(HttpRequestSpec request) {
                first.acquire(request);
                for (RequestPacer p : others) {
                    p.acquire(request);
                }
            }

            @Override
            public void onResponse(HttpRequestSpec request, int status) {
                first.onResponse(request, status);
                for (RequestPacer p : others) {
                    p.onResponse(request, status);
                }
            }
        };
    }
}
