package io.kdpipe.cli.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import io.kdpipe.common.contract.Json;
import io.kdpipe.common.runtime.HttpEndpoint;
import io.kdpipe.sandbox.dingtalk.DingTalkSandbox;
import io.kdpipe.sandbox.dingtalk.InboxMessage;
import io.kdpipe.sandbox.dingtalk.SandboxUser;

/**
 * The local run's web pages: {@code /} (counts per stage, links to each service's
 * {@code /metrics} and health, recent flow), {@code /inbox} and {@code /inbox/{userid}} (the
 * DingTalk sandbox's inboxes, rendered as DingTalk shows messages) and {@code /status.json}.
 */
final class WebPages implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));
    private static final String STYLE = """
            <style>
            body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f2f3f5;color:#1f2329}
            header{background:#1677ff;color:#fff;padding:12px 20px;font-size:18px}
            header a{color:#fff;margin-left:16px;font-size:14px}
            main{max-width:860px;margin:16px auto;padding:0 12px}
            .card{background:#fff;border-radius:8px;padding:14px 18px;margin-bottom:12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
            .card .meta{color:#8f959e;font-size:12px;margin-bottom:6px}
            .card .title{font-weight:600;margin-bottom:6px}
            .markdown h1,.markdown h2,.markdown h3{font-size:16px;margin:4px 0 8px}
            .markdown ul{padding-left:20px;margin:6px 0}
            table{border-collapse:collapse;width:100%}
            td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #eee}
            pre{white-space:pre-wrap;font-size:12px}
            .empty{color:#8f959e}
            </style>
            """;

    /** One in-process service and where its endpoints are. */
    record ServiceLink(String name, int port) {
    }

    private static final HttpClient JOBS_CLIENT = HttpClient.newHttpClient();

    private final HttpEndpoint server;
    private final Supplier<FlowLog.Counts> counts;
    private final DingTalkSandbox dingTalk;
    private final List<ServiceLink> services;
    private final Map<String, String> facts;

    WebPages(int port, Supplier<FlowLog.Counts> counts, DingTalkSandbox dingTalk, List<ServiceLink> services,
             Map<String, String> facts) {
        this.counts = counts;
        this.dingTalk = dingTalk;
        this.services = List.copyOf(services);
        this.facts = new LinkedHashMap<>(facts);
        this.server = HttpEndpoint.bindOrFail(new InetSocketAddress("localhost", port), 0, "kdpipe-local-web", 2,
                "The local run's pages cannot listen on port " + port + " (choose another with --web-port)")
                .route("/", this::handle);
    }

    WebPages start() {
        server.start();
        return this;
    }

    int port() {
        return server.port();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/")) {
                html(ex, 200, page("kdpipe local", statusBody(), true));
            } else if (path.equals("/status.json")) {
                send(ex, 200, "application/json; charset=utf-8", Json.mapper().writeValueAsString(statusJson()));
            } else if (path.equals("/inbox") || path.equals("/inbox/")) {
                html(ex, 200, page("收件箱 · DingTalk sandbox", inboxList(), true));
            } else if (path.startsWith("/inbox/")) {
                String user = URLDecoder.decode(path.substring("/inbox/".length()), StandardCharsets.UTF_8);
                html(ex, 200, page(user + " · 工作通知", inbox(user), true));
            } else {
                html(ex, 404, page("not found", "<div class=\"card\">Nothing here. <a href=\"/\">Status</a></div>", false));
            }
        } catch (RuntimeException e) {
            // an answer that failed half-way cannot be repaired; the next refresh asks again
        }
    }

    private String statusBody() {
        FlowLog.Counts c = counts.get();
        StringBuilder b = new StringBuilder();
        b.append("<div class=\"card\"><div class=\"title\">Counts per stage (since this cluster began)</div><table>")
                .append(row("rows extracted (snapshot)", c.rowsSnapshot()))
                .append(row("rows extracted (changes)", c.rowsIncremental()))
                .append(row("notices built", c.notices()));
        c.noticesByKind().forEach((kind, n) -> b.append(row("&nbsp;&nbsp;" + kind, n)));
        b.append(row("notices with a directory gap", c.noticesWithGaps()))
                .append(row("notices sent", c.delivered()))
                .append(row("notices dead-lettered", c.noticeDeadLetters()))
                .append(row("rows dead-lettered", c.rowDeadLetters()))
                .append("</table>");
        if (c.firstDeliveryAfterStart() != null) {
            b.append("<p class=\"meta\">first notice of this run sent ")
                    .append(String.format("%.1f", c.firstDeliveryAfterStart().toMillis() / 1000.0)).append(" s after start</p>");
        }
        b.append("</div>");
        if (!c.gaps().isEmpty()) {
            b.append("<div class=\"card\"><div class=\"title\">Directory gaps</div><p class=\"meta\">Kingdee numbers notices could "
                    + "not go to (not in dingtalk.directory.v1, no DingTalk id, or departed or unknown to DingTalk). "
                    + "Fix them with kdpipe directory import, then kdpipe redrive --reroute; kdpipe trail tells each notice's "
                    + "routing.</p><table><tr><th>entry</th><th>notices</th></tr>");
            c.gaps().forEach((key, n) -> b.append(row(MessageHtml.escape(key), n)));
            b.append("</table></div>");
        }
        b.append("<div class=\"card\"><div class=\"title\">Services</div><table><tr><th>service</th><th>metrics</th><th>readiness</th><th>liveness</th></tr>");
        for (ServiceLink s : services) {
            String base = "http://localhost:" + s.port();
            b.append("<tr><td>").append(MessageHtml.escape(s.name())).append("</td>")
                    .append("<td><a href=\"").append(base).append("/metrics\">/metrics</a></td>")
                    .append("<td><a href=\"").append(base).append("/health/ready\">/health/ready</a></td>")
                    .append("<td><a href=\"").append(base).append("/health/live\">/health/live</a></td></tr>");
        }
        b.append("</table></div>");
        b.append(extractorJobs());
        b.append("<div class=\"card\"><div class=\"title\">Setup</div><table>");
        facts.forEach((k, v) -> b.append("<tr><td>").append(MessageHtml.escape(k)).append("</td><td>")
                .append(MessageHtml.escape(v)).append("</td></tr>"));
        b.append("</table>");
        if (dingTalk != null) {
            b.append("<p><a href=\"/inbox\">DingTalk sandbox inboxes →</a></p>");
        }
        b.append("</div>");
        b.append("<div class=\"card\"><div class=\"title\">Recent flow</div><pre>");
        if (c.recent().isEmpty()) {
            b.append("(waiting for the first change)");
        }
        c.recent().forEach(line -> b.append(MessageHtml.escape(line)).append('\n'));
        b.append("</pre></div>");
        return b.toString();
    }

    /** The extractor's jobs as its {@code /jobs} endpoint tells them: state, detail, last error. */
    private Map<String, Map<String, Object>> jobs() {
        for (ServiceLink s : services) {
            if (s.name().equals("extractor")) {
                try {
                    HttpResponse<String> r = JOBS_CLIENT.send(HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + s.port() + "/jobs")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    if (r.statusCode() == 200) {
                        return Json.mapper().readValue(r.body(),
                                new TypeReference<Map<String, Map<String, Object>>>() { });
                    }
                } catch (IOException e) {
                    return Map.of();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Map.of();
                }
            }
        }
        return Map.of();
    }

    private String extractorJobs() {
        Map<String, Map<String, Object>> jobs = jobs();
        StringBuilder b = new StringBuilder("<div class=\"card\"><div class=\"title\">Extractor jobs</div>");
        if (jobs.isEmpty()) {
            return b.append("<p class=\"empty\">no job owned (yet), or the extractor does not answer</p></div>").toString();
        }
        b.append("<table><tr><th>job</th><th>state</th><th>detail</th><th>last error</th></tr>");
        jobs.forEach((id, v) -> b.append("<tr><td>").append(MessageHtml.escape(id)).append("</td><td>")
                .append(MessageHtml.escape(String.valueOf(v.get("state")))).append("</td><td>")
                .append(MessageHtml.escape(String.valueOf(v.get("detail")))).append("</td><td>")
                .append(v.get("lastError") == null ? "-" : MessageHtml.escape(v.get("lastErrorAt") + ": " + v.get("lastError")))
                .append("</td></tr>"));
        return b.append("</table></div>").toString();
    }

    private Map<String, Object> statusJson() {
        FlowLog.Counts c = counts.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rowsSnapshot", c.rowsSnapshot());
        m.put("rowsIncremental", c.rowsIncremental());
        m.put("notices", c.notices());
        m.put("noticesByKind", c.noticesByKind());
        m.put("sent", c.delivered());
        m.put("noticeDeadLetters", c.noticeDeadLetters());
        m.put("rowDeadLetters", c.rowDeadLetters());
        m.put("noticesWithDirectoryGaps", c.noticesWithGaps());
        m.put("directoryGaps", c.gaps());
        m.put("firstSentAfterStartMillis", c.firstDeliveryAfterStart() == null ? null : c.firstDeliveryAfterStart().toMillis());
        List<Map<String, Object>> inboxes = new ArrayList<>();
        if (dingTalk != null) {
            dingTalk.inboxes().forEach((user, messages) -> {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("userId", user);
                i.put("messages", messages.size());
                i.put("latestTitle", messages.isEmpty() ? null : MessageHtml.title(messages.get(messages.size() - 1).msg()));
                inboxes.add(i);
            });
        }
        m.put("inboxes", inboxes);
        Map<String, Integer> ports = new LinkedHashMap<>();
        services.forEach(s -> ports.put(s.name(), s.port()));
        m.put("servicePorts", ports);
        m.put("extractorJobs", jobs());
        return m;
    }

    private static String row(String label, long n) {
        return "<tr><td>" + label + "</td><td>" + n + "</td></tr>";
    }

    private String inboxList() {
        if (dingTalk == null) {
            return "<div class=\"card empty\">Real DingTalk settings are in use: notices go to DingTalk itself, not to a sandbox inbox.</div>";
        }
        Map<String, List<InboxMessage>> all = dingTalk.inboxes();
        StringBuilder b = new StringBuilder("<div class=\"card\"><div class=\"title\">DingTalk sandbox users</div><table>"
                + "<tr><th>user</th><th>name</th><th>messages</th></tr>");
        for (SandboxUser u : dingTalk.options().users()) {
            int n = all.getOrDefault(u.userId(), List.of()).size();
            b.append("<tr><td><a href=\"/inbox/").append(URLEncoder.encode(u.userId(), StandardCharsets.UTF_8)).append("\">")
                    .append(MessageHtml.escape(u.userId())).append("</a></td><td>").append(MessageHtml.escape(u.name()))
                    .append("</td><td>").append(n).append("</td></tr>");
        }
        return b.append("</table></div>").toString();
    }

    private String inbox(String userId) {
        if (dingTalk == null) {
            return inboxList();
        }
        String name = dingTalk.options().users().stream().filter(u -> u.userId().equals(userId))
                .map(SandboxUser::name).findFirst().orElse("(not a sandbox user)");
        List<InboxMessage> messages = new ArrayList<>(dingTalk.inbox(userId));
        Collections.reverse(messages);
        StringBuilder b = new StringBuilder("<div class=\"card\"><div class=\"title\">")
                .append(MessageHtml.escape(name)).append(" (").append(MessageHtml.escape(userId)).append(")</div>")
                .append("<div class=\"meta\">").append(messages.size()).append(" 条工作通知 · <a href=\"/inbox\">所有用户</a></div></div>");
        if (messages.isEmpty()) {
            b.append("<div class=\"card empty\">暂无消息 (no messages yet)</div>");
        }
        for (InboxMessage m : messages) {
            b.append("<div class=\"card message\"><div class=\"meta\">工作通知 · ").append(TIME.format(m.receivedAt()))
                    .append(" · task ").append(m.taskId()).append("</div>");
            if ("markdown".equals(m.msg().path("msgtype").asText())) {
                b.append("<div class=\"title\">").append(MessageHtml.escape(MessageHtml.title(m.msg()))).append("</div>");
            }
            b.append(MessageHtml.body(m.msg())).append("</div>");
        }
        return b.toString();
    }

    private static String page(String title, String body, boolean refresh) {
        return "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                + (refresh ? "<meta http-equiv=\"refresh\" content=\"3\">" : "")
                + "<title>" + MessageHtml.escape(title) + "</title>" + STYLE + "</head><body>"
                + "<header>kdpipe local<a href=\"/\">Status</a><a href=\"/inbox\">Inboxes</a></header><main>"
                + body + "</main></body></html>";
    }

    private static void html(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, "text/html; charset=utf-8", body);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        HttpEndpoint.respond(ex, status, type, body);
    }

    @Override
    public void close() {
        server.close();
    }
}
