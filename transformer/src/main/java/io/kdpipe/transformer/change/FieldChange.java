package io.kdpipe.transformer.change;

/** One watched field's move: its key, its Chinese label, and the old and new text (null when empty). */
public record FieldChange(String field, String label, String oldValue, String newValue) {
}
