/** The notifier: sends notices as DingTalk work notifications within rate and quota, with a ledger and dead letters. */
package io.kdpipe.notifier;
