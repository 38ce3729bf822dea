/** DingTalk's limits on this side: the shared per-app rate and the monthly call budget. */
package io.kdpipe.notifier.rate;
