package org.greenwave.adapters.ntcip;

import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.OctetString;

/**
 * An SNMPv3 user with authentication and privacy (security level authPriv): HMAC-SHA-256 (usmHMAC192SHA256AuthProtocol,
 * RFC 7860) and AES-128 (usmAesCfb128Protocol, RFC 3826). The passphrases are never printed ({@link #toString()}).
 */
public final class SnmpV3User {
    /** Shortest passphrase SNMPv3 accepts (RFC 3414). */
    public static final int MIN_PASSPHRASE_LENGTH = 8;

    static {
        SecurityProtocols.getInstance().addAuthenticationProtocol(new AuthHMAC192SHA256());
        SecurityProtocols.getInstance().addPrivacyProtocol(new PrivAES128());
    }

    private final String name;
    private final String authPassphrase;
    private final String privPassphrase;

    /** @throws IllegalArgumentException when the name is empty or a passphrase shorter than 8 characters */
    public SnmpV3User(String name, String authPassphrase, String privPassphrase) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an SNMPv3 user needs a name");
        }
        if (authPassphrase == null || authPassphrase.length() < MIN_PASSPHRASE_LENGTH) {
            throw new IllegalArgumentException("the SNMPv3 authentication passphrase of user '" + name
                    + "' must have at least " + MIN_PASSPHRASE_LENGTH + " characters");
        }
        if (privPassphrase == null || privPassphrase.length() < MIN_PASSPHRASE_LENGTH) {
            throw new IllegalArgumentException("the SNMPv3 privacy passphrase of user '" + name
                    + "' must have at least " + MIN_PASSPHRASE_LENGTH + " characters");
        }
        this.name = name;
        this.authPassphrase = authPassphrase;
        this.privPassphrase = privPassphrase;
    }

    public String name() {
        return name;
    }

    /** The user for SNMP4J's user-based security model. */
    public UsmUser usmUser() {
        return new UsmUser(new OctetString(name), AuthHMAC192SHA256.ID, new OctetString(authPassphrase),
                PrivAES128.ID, new OctetString(privPassphrase));
    }

    @Override
    public String toString() {
        return "SNMPv3 user '" + name + "' (authPriv, SHA-256 + AES-128)";
    }
}
