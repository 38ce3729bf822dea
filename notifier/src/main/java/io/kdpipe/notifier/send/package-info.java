/** The send loop: notices in, DingTalk calls out, ledger entries and offsets committed together, dead letters. */
package io.kdpipe.notifier.send;
