/** The extractor: reads Kingdee customers incrementally and publishes them with their checkpoints, exactly once. */
package io.kdpipe.extractor;
