/**
 * Whole-pipeline benchmarks B1–B6 on an embedded broker and the sandboxes, each measured next to its
 * reference from the same run, and the helpers they share (rows, Kafka loading and progress, starting services).
 */
package io.kdpipe.bench.pipeline;
