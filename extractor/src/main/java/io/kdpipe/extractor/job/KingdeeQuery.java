package io.kdpipe.extractor.job;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdpipe.extractor.kingdee.BillQuery;

/** Runs one query page; the real one is {@code KingdeeClient::executeBillQuery}. */
@FunctionalInterface
public interface KingdeeQuery {

    List<JsonNode[]> execute(BillQuery query) throws InterruptedException;
}
