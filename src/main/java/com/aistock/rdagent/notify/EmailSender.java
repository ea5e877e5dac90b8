package com.aistock.rdagent.notify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * E-mail through the channel's SMTP server: STARTTLS (required, so a server that does not offer it is refused
 * rather than sent the password in clear), SSL from the first byte, or neither; auth when a user is set.
 */
@Component
class EmailSender implements Sender {

    private static final String TIMEOUT = "10000";

    @Override
    public ChannelType type() {
        return ChannelType.EMAIL;
    }

    @Override
    public SendResult send(Channel channel, List<Message> messages) {
        Message message = messages.get(0);
        try {
            JavaMailSenderImpl mail = mailer(channel);
            MimeMessage mime = mail.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(mime, false, StandardCharsets.UTF_8.name());
            helper.setFrom(channel.setting("from"));
            List<String> to = new java.util.ArrayList<>();
            channel.settings().path("to").forEach(address -> to.add(address.asText()));
            helper.setTo(to.toArray(String[]::new));
            helper.setSubject(message.title());
            helper.setText(message.text(), false);
            mail.send(mime);
            return new SendResult(true, null, null, null);
        } catch (Exception e) {
            return new SendResult(false, null, channel.scrub(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())), null);
        }
    }

    private static JavaMailSenderImpl mailer(Channel channel) {
        JavaMailSenderImpl mail = new JavaMailSenderImpl();
        mail.setHost(channel.setting("smtp_host"));
        mail.setPort(channel.settings().path("smtp_port").asInt());
        mail.setDefaultEncoding(StandardCharsets.UTF_8.name());
        Properties props = new Properties();
        String security = channel.setting("security");
        if ("ssl".equals(security)) {
            mail.setProtocol("smtps");
            props.put("mail.smtps.ssl.checkserveridentity", "true");
        }
        String prefix = "ssl".equals(security) ? "mail.smtps." : "mail.smtp.";
        if ("starttls".equals(security)) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
            props.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        if (channel.setting("username") != null) {
            mail.setUsername(channel.setting("username"));
            mail.setPassword(channel.secret("password"));
            props.put(prefix + "auth", "true");
        }
        props.put(prefix + "connectiontimeout", TIMEOUT);
        props.put(prefix + "timeout", TIMEOUT);
        props.put(prefix + "writetimeout", TIMEOUT);
        mail.setJavaMailProperties(props);
        return mail;
    }
}
