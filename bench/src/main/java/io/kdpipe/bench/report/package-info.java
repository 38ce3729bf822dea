/** Benchmark results: one figure next to its same-run reference, the machine's facts, and the table written as Markdown and JSON. */
package io.kdpipe.bench.report;
