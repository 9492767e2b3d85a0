package dev.vsa.processing.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The vsa home holds every account's uploads (local storage), the embedded database's password, the token-signing
 * secret and the shell history: only its owner may enter it. Created 0700; a home of the owner's that others can
 * enter (earlier versions created it as the umask gave: 0755) is closed at start, once, with a log line.
 */
public final class PrivateHome {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateHome.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateHome() {
    }

    /** Creates {@code home} owner-only if it is missing, else takes group and other access away when the owner is us. */
    public static void secure(Path home) throws IOException {
        try {
            if (Files.notExists(home)) {
                Files.createDirectories(home.toAbsolutePath().getParent());
                try {
                    Files.createDirectory(home, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (FileAlreadyExistsException raced) {
                    // another process made it at the same moment: checked below like any existing home
                }
            }
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(home);
            if (!now.equals(OWNER_ONLY) && Files.getOwner(home).getName().equals(System.getProperty("user.name"))) {
                Files.setPosixFilePermissions(home, OWNER_ONLY);
                LOG.info("vsa home {} was {}; now {} (it holds uploads and secrets)", home,
                        PosixFilePermissions.toString(now), PosixFilePermissions.toString(OWNER_ONLY));
            }
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(home); // Windows: the folder inherits the user profile's ACL
        }
    }
}
