/** Benchmarks: JMH microbenchmarks of the hot paths and whole-pipeline load runs, reported as ratios to a same-run reference. */
package io.kdpipe.bench;
