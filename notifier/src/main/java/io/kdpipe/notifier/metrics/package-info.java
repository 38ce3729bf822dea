/** The notifier's business metrics ({@code kdpipe_notifier_*}). */
package io.kdpipe.notifier.metrics;
