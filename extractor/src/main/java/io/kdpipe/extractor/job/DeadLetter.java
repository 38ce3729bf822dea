package io.kdpipe.extractor.job;

/**
 * A customer the job cannot publish: the rows Kingdee sent for it, and why they cannot be read.
 *
 * @param key     the record key ({@code {account}:{FCUSTID}} as Kingdee wrote the id), or null without one
 * @param value   the rows as Kingdee sent them, with the field keys they answer (JSON)
 * @param reason  a short, stable name of the failure ({@code kdpipe.errors.class})
 * @param message what could not be read, and its text
 */
public record DeadLetter(String key, byte[] value, String reason, String message) {
}
