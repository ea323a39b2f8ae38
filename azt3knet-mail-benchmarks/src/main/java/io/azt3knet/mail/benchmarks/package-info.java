/** JMH benchmarks and load runs; not published, run by hand (see README.md, "Benchmarks"). */
@NullMarked
package io.azt3knet.mail.benchmarks;

import org.jspecify.annotations.NullMarked;
