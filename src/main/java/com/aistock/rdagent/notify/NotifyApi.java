package com.aistock.rdagent.notify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Created;
import com.aistock.rdagent.system.ErrorCode;
import com.aistock.rdagent.system.Operators;
import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** The channels, rules and delivery-log REST routes' bean. Channel secrets go in and never come out. */
@Component("notifyApi")
public class NotifyApi {

    private final ChannelStore channels;
    private final RuleStore rules;
    private final Map<ChannelType, Sender> senders = new HashMap<>();
    private final Messages messages;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    NotifyApi(ChannelStore channels, RuleStore rules, List<Sender> senders, Messages messages,
              NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.channels = channels;
        this.rules = rules;
        senders.forEach(sender -> this.senders.put(sender.type(), sender));
        this.messages = messages;
        this.jdbc = jdbc;
        this.json = json;
    }

    public List<ChannelView> channels() {
        return channels.list().stream().map(ChannelView::of).toList();
    }

    public ChannelView channel(@Header("id") String id) {
        return ChannelView.of(stored(id));
    }

    public Created<ChannelView> createChannel(@Body String body) {
        ChannelRequest request = ChannelRequest.parse(json, body, null);
        try {
            return new Created<>(ChannelView.of(channels.find(channels.insert(request, Operators.current())).orElseThrow()));
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.CONFLICT, "name", "a channel named " + request.name() + " exists");
        }
    }

    public ChannelView updateChannel(@Header("id") String id, @Body String body) {
        Channel stored = stored(id);
        ChannelRequest request = ChannelRequest.parse(json, body, stored);
        try {
            channels.update(stored.id(), request, Operators.current());
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.CONFLICT, "name", "a channel named " + request.name() + " exists");
        }
        return ChannelView.of(channels.find(stored.id()).orElseThrow());
    }

    public ChannelView deleteChannel(@Header("id") String id) {
        Channel stored = stored(id);
        channels.delete(stored.id());
        return ChannelView.of(stored);
    }

    /** Sends a real test message now (not queued) and answers what the channel said. */
    public SendResult testChannel(@Header("id") String id) {
        Channel channel = stored(id);
        return senders.get(channel.type()).send(channel, List.of(messages.test(channel)));
    }

    public Page<Rule> rules(@Header("page") String page, @Header("size") String size) {
        int p = ApiParams.page(page);
        int s = ApiParams.size(size);
        return new Page<>(rules.page(p, s), rules.count(), p, s);
    }

    public Rule rule(@Header("id") String id) {
        return storedRule(id);
    }

    public Created<Rule> createRule(@Body String body) {
        RuleRequest request = RuleRequest.parse(json, body);
        requireChannel(request);
        return new Created<>(rules.find(rules.insert(request, Operators.current())).orElseThrow());
    }

    public Rule updateRule(@Header("id") String id, @Body String body) {
        Rule stored = ownRule(id);
        RuleRequest request = RuleRequest.parse(json, body);
        requireChannel(request);
        rules.update(stored.id(), request);
        return rules.find(stored.id()).orElseThrow();
    }

    public Rule deleteRule(@Header("id") String id) {
        Rule stored = ownRule(id);
        rules.delete(stored.id());
        return stored;
    }

    /** The delivery log: every attempt, newest first; {@code channel_id} and {@code task_id} narrow it. */
    public Page<Attempt> notifications(@Header("page") String page, @Header("size") String size,
                                       @Header("channel_id") String channelId, @Header("task_id") String taskId) {
        int p = ApiParams.page(page);
        int s = ApiParams.size(size);
        Map<String, Object> params = new HashMap<>();
        params.put("channelId", channelId == null ? null : ApiParams.id("channel_id", channelId));
        params.put("taskId", taskId == null ? null : ApiParams.id("task_id", taskId));
        long total = jdbc.queryForObject(SqlFiles.load("notify-attempt-count"), params, Long.class);
        params.put("limit", s);
        params.put("offset", (long) p * s);
        return new Page<>(jdbc.query(SqlFiles.load("notify-attempt-page"), params, new DataClassRowMapper<>(Attempt.class)),
                total, p, s);
    }

    private void requireChannel(RuleRequest request) {
        if (channels.find(request.channelId()).isEmpty()) {
            throw ApiException.validation("channel_id", "no channel " + request.channelId());
        }
    }

    /** A rule its caller may change: their own ("notify me"), or any for an ADMIN. */
    private Rule ownRule(String id) {
        Rule rule = storedRule(id);
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        boolean admin = caller != null && caller.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
        if (!admin && !rule.owner().equals(Operators.current())) {
            throw ApiException.forbidden("rule " + rule.id() + " belongs to " + rule.owner());
        }
        return rule;
    }

    private Channel stored(String id) {
        long channelId = ApiParams.id("id", id);
        return channels.find(channelId).orElseThrow(() -> ApiException.notFound("no channel " + channelId));
    }

    private Rule storedRule(String id) {
        long ruleId = ApiParams.id("id", id);
        return rules.find(ruleId).orElseThrow(() -> ApiException.notFound("no rule " + ruleId));
    }
}
