/** The DingTalk directory as the notifier sees it, and the free contacts-API checks of its userids. */
package io.kdpipe.notifier.directory;
