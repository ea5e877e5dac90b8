package com.aistock.rdagent.system;

import org.springframework.stereotype.Component;

/** What the console shows in its header: whether tasks run the bundled simulator, and which build this is. */
@Component("systemApi")
public class SystemApi {

    public record SystemInfo(boolean demo, String version, String node) {
    }

    private final RdAgentInstallation installation;
    private final SchedulerProperties properties;

    public SystemApi(RdAgentInstallation installation, SchedulerProperties properties) {
        this.installation = installation;
        this.properties = properties;
    }

    public SystemInfo info() {
        // the jar's manifest carries the version; classes run from an IDE or the tests have none
        String version = SystemApi.class.getPackage().getImplementationVersion();
        return new SystemInfo(installation.demo(), version == null ? "dev" : version, properties.node().id());
    }
}
