/** The {@code kdpipe} command: local run, replay, redrive, directory, status and trail. */
package io.kdpipe.cli;
