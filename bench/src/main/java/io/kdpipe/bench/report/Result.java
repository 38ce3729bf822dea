package io.kdpipe.bench.report;

/**
 * One benchmark figure next to its same-run reference.
 *
 * @param id         benchmark id (B1…B6, or M-… for a JMH microbenchmark)
 * @param what       what was measured, in words
 * @param measured   the figure
 * @param unit       its unit
 * @param reference  the reference measured in the same run (or the limit it is held against); NaN when none
 * @param ratio      the figure as the target compares it (measured ÷ reference, or the target's own quotient); NaN when none
 * @param target     the target, in words
 * @param met        whether the target is met; null when the benchmark only reports
 * @param notes      scale, settings and anything a reader needs to judge the figure
 */
public record Result(String id, String what, double measured, String unit, double reference, double ratio,
        String target, Boolean met, String notes) {

    public static Result info(String id, String what, double measured, String unit, String notes) {
        return new Result(id, what, measured, unit, Double.NaN, Double.NaN, "report", null, notes);
    }
}
