package io.kdpipe.transformer.routing;

import io.kdpipe.common.contract.DirectoryEntry;
import io.kdpipe.transformer.change.Change;

/** A change with the directory entries of its salesperson and sales department (null when absent). */
public record Resolution(Change change, DirectoryEntry salesperson, DirectoryEntry department) {

    public Resolution withDepartment(DirectoryEntry entry) {
        return new Resolution(change, salesperson, entry);
    }
}
