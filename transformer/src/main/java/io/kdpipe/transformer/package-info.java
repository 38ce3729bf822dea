/** The transformer: a Kafka Streams app that turns customer rows into notices (change detection, templates, routing, digests). */
package io.kdpipe.transformer;
