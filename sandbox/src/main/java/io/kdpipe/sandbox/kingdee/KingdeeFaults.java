package io.kdpipe.sandbox.kingdee;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * KingdeeFaults the sandbox injects into {@code ExecuteBillQuery} answers, switched on by a test. Queued
 * faults ({@link #next}, {@link #times}) are used up one call each, in order; a standing fault
 * ({@link #always}) answers every call until {@link #clear()}. Session expiry is separate: with
 * {@link #expireSessionsAfter(int)} every session serves that many queries, then is lost.
 */
public final class KingdeeFaults {

    /** What the sandbox answers instead of data. */
    public sealed interface Fault {
    }

    /**
     * Kingdee's double-wrapped error object in an HTTP 200 body.
     *
     * @param stringly write {@code IsSuccess} and {@code MsgCode} as strings, as the help pages show
     */
    public record KingdeeError(int msgCode, int errorCode, String message, boolean stringly) implements Fault {
    }

    /** A {@code response_error:} body: a serialized server exception. */
    public record ResponseError(int httpStatus, String exceptionMessage) implements Fault {
    }

    /** Any other HTTP answer: an HTML error page, a gateway error, a 429. */
    public record HttpAnswer(int httpStatus, String contentType, String body) implements Fault {
    }

    /**
     * Answers normally, {@code delay} after the query arrived: the time the sandbox takes to make the
     * answer is part of it, as a real Kingdee's own work is part of the time it takes for a page.
     */
    public record Delay(Duration delay) implements Fault {
    }

    /** Never answers, until {@link #releaseHung()} or the sandbox closes. */
    public record Hang() implements Fault {
    }

    public static Fault msgCode(int msgCode, String message) {
        return new KingdeeError(msgCode, 500, message, false);
    }

    public static Fault msgCodeAsStrings(int msgCode, String message) {
        return new KingdeeError(msgCode, 500, message, true);
    }

    public static Fault throttled() {
        return new KingdeeError(14, 500, "调用次数超过限制，请稍后再试", false);
    }

    public static Fault responseError(int httpStatus, String exceptionMessage) {
        return new ResponseError(httpStatus, exceptionMessage);
    }

    public static Fault http(int status, String body) {
        return new HttpAnswer(status, "text/html; charset=utf-8", body);
    }

    public static Fault garbage() {
        return new HttpAnswer(200, "text/html; charset=utf-8",
                "<!DOCTYPE html><html><head><title>金蝶云星空 - 登录</title></head><body>请登录</body></html>");
    }

    public static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    public static Fault hang() {
        return new Hang();
    }

    private final Deque<Fault> queued = new ArrayDeque<>();
    private Fault standing;
    private int sessionCalls;
    private CountDownLatch hung = new CountDownLatch(1);

    /** The next query gets {@code fault}. */
    public synchronized KingdeeFaults next(Fault fault) {
        queued.add(Objects.requireNonNull(fault));
        return this;
    }

    /** The next {@code n} queries get {@code fault}. */
    public synchronized KingdeeFaults times(int n, Fault fault) {
        for (int i = 0; i < n; i++) {
            queued.add(Objects.requireNonNull(fault));
        }
        return this;
    }

    /** Every query gets {@code fault} until {@link #clear()}. */
    public synchronized KingdeeFaults always(Fault fault) {
        standing = Objects.requireNonNull(fault);
        return this;
    }

    /** Every session (new ones too) is lost after serving {@code calls} queries; 0 turns this off. */
    public synchronized KingdeeFaults expireSessionsAfter(int calls) {
        sessionCalls = calls;
        return this;
    }

    /** Removes queued and standing faults and session expiry, and lets hung calls answer. */
    public synchronized KingdeeFaults clear() {
        queued.clear();
        standing = null;
        sessionCalls = 0;
        releaseHung();
        return this;
    }

    /** Lets every hung call go on (they then answer normally). */
    public synchronized void releaseHung() {
        hung.countDown();
        hung = new CountDownLatch(1);
    }

    synchronized int sessionCalls() {
        return sessionCalls;
    }

    synchronized Fault take() {
        Fault f = queued.poll();
        return f != null ? f : standing;
    }

    void awaitRelease(Duration max) throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            latch = hung;
        }
        latch.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }
}
