package com.aistock.rdagent.dataset;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides, while the inbox is listed and before anything is read, which files the inbox route may take. What it
 * must never read goes straight to {@code .error/} with its reason: a symbolic link (its target is neither followed
 * nor read), anything that is not a regular file, a name too long for the read lock's {@code .camelLock} file, a
 * name the JVM cannot address, and a {@code .meta.json} sidecar whose stock-pool file never came. A sidecar beside
 * its pool file waits for it. Dot-files are not the inbox's (Camel skips them, and so does this).
 */
@Component("inboxFiles")
public class InboxFilter implements GenericFileFilter<File> {

    static final String LOCK_SUFFIX = ".camelLock";
    private static final Logger log = LoggerFactory.getLogger(InboxFilter.class);

    private final InboxFolder folder;
    private final Duration sidecarWait;

    public InboxFilter(InboxFolder folder, DatasetProperties settings) {
        this.folder = folder;
        this.sidecarWait = settings.inbox().sidecarWait();
        String names = System.getProperty("sun.jnu.encoding");
        if (!StandardCharsets.UTF_8.name().equalsIgnoreCase(names)) {
            log.warn("File names are read as {}: inbox files named in other characters will be refused. Start the "
                    + "service in a UTF-8 locale (LANG=C.UTF-8).", names);
        }
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        String name = file.getFileNameOnly();
        if (file.isDirectory() || name.startsWith(".")) {
            return false;
        }
        Path path = file.getFile().toPath();
        try {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                // gone meanwhile, or listed under a name that does not lead back to it
                setAsideUnaddressable(path.getParent());
                return false;
            }
            String refusal = attributes.isSymbolicLink()
                    ? "a symbolic link: the inbox never follows one, so its target was neither read nor changed"
                    : !attributes.isRegularFile() ? "not a regular file (a device, pipe or socket)"
                    : InboxFolder.bytes(name + LOCK_SUFFIX) > InboxFolder.MAX_NAME_BYTES
                    ? "the name is " + InboxFolder.bytes(name) + " bytes long; the inbox takes names of at most "
                    + (InboxFolder.MAX_NAME_BYTES - LOCK_SUFFIX.length()) + " bytes (UTF-8)"
                    : null;
            if (refusal != null) {
                folder.setAside(path, name, InboxFolder.quoted(name), refusal);
                return false;
            }
            return !Inbox.isSidecar(name) || sidecarAlone(path, name, attributes);
        } catch (IOException e) {
            log.warn("Inbox file {} left for the next poll: {}", InboxFolder.quoted(name), e.toString());
            return false;
        }
    }

    /**
     * A sidecar is read with its stock-pool file and moves with it. One alone for {@code sidecar-wait} is refused;
     * it never reaches the route.
     */
    private boolean sidecarAlone(Path sidecar, String name, BasicFileAttributes attributes) throws IOException {
        String stem = Inbox.sidecarStem(name);
        boolean poolBeside;
        try (Stream<Path> siblings = Files.list(sidecar.getParent())) {
            poolBeside = siblings.map(p -> p.getFileName().toString())
                    .anyMatch(sibling -> Inbox.isPoolFile(sibling) && Inbox.poolStem(sibling).equals(stem));
        }
        if (!poolBeside && attributes.lastModifiedTime().toInstant().plus(sidecarWait).isBefore(Instant.now())) {
            folder.setAside(sidecar, name, InboxFolder.quoted(name), "a sidecar without its stock-pool file: no "
                    + stem + ".txt came within " + sidecarWait.toSeconds() + " s");
        }
        return false;
    }

    /**
     * Entries whose name bytes are not text in the JVM's file-name encoding (say GBK bytes from an unzip): Java
     * lists them under a name that finds nothing, so only the directory's own entries can move them.
     */
    private void setAsideUnaddressable(Path inbox) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox)) {
            for (Path entry : entries) {
                String shown = entry.getFileName().toString();
                if (shown.startsWith(".") || Files.exists(inbox.resolve(shown), LinkOption.NOFOLLOW_LINKS)
                        || !Files.exists(entry, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String uri = entry.toAbsolutePath().toUri().getRawPath();
                String raw = uri.substring(uri.lastIndexOf('/') + 1);
                folder.setAside(entry, shown.replace('\uFFFD', '_'), raw + " (percent-encoded bytes)",
                        "the file name is not " + System.getProperty("sun.jnu.encoding")
                                + " text: give the file a UTF-8 name");
            }
        }
    }
}
