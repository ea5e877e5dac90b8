package com.aistock.rdagent.notify;

import java.util.List;

/** Delivers to one type of channel. Robots get several messages at once; the others one. */
interface Sender {

    ChannelType type();

    SendResult send(Channel channel, List<Message> messages);
}
