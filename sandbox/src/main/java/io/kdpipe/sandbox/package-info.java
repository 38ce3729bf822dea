/** Stand-ins for Kingdee and DingTalk: real HTTP servers speaking their wire protocols, with seeded data and fault injection. */
package io.kdpipe.sandbox;
