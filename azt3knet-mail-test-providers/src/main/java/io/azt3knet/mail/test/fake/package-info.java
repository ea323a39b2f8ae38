/**
 * Stateful WireMock stand-ins for the Mailjet and deSEC REST APIs, built from their documented behaviour and
 * odd cases, on one shared base ({@link io.azt3knet.mail.test.fake.FakeProviderServer}). They bind 127.0.0.1 only.
 */
@NullMarked
package io.azt3knet.mail.test.fake;

import org.jspecify.annotations.NullMarked;
