/**
 * The operator commands: {@code replay} (resend notices with a visible marker), {@code redrive}
 * (dead letters back to their topic), {@code directory} (salesperson to DingTalk userid map) and
 * {@code status} (lag, watermarks, dead letters, DingTalk budget). They share the services'
 * configuration ({@link io.kdpipe.cli.operate.ConnectionOptions}) and write an audit record for
 * every run that changes something.
 */
package io.kdpipe.cli.operate;
