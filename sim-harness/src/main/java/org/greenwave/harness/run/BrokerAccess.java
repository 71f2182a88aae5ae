package org.greenwave.harness.run;

import java.nio.file.Path;

import org.greenwave.adapters.mqtt.MqttTls;

/**
 * How the two sides of a simulation over MQTT log in to an external broker that wants TLS, user names or both: the
 * engine (which publishes plans and reads detector data) and the simulated field devices (which publish detector
 * data and read plans) each with a user of its own, so the broker's access list can tell them apart.
 *
 * @param tls            the broker's authority and an optional client certificate, for {@code ssl://} URLs; null for
 *                       plain TCP
 * @param engineUser     the engine's user name, or null to connect without one
 * @param enginePassword its password, or null
 * @param fieldUser      the simulated field side's user name, or null to connect without one
 * @param fieldPassword  its password, or null
 */
public record BrokerAccess(MqttTls tls, String engineUser, char[] enginePassword, String fieldUser,
                           char[] fieldPassword) {
    /** Plain TCP, no user names: a broker that lets anonymous clients in. */
    public static final BrokerAccess ANONYMOUS = new BrokerAccess(null, null, null, null, null);

    public BrokerAccess {
        if (enginePassword != null && engineUser == null || fieldPassword != null && fieldUser == null) {
            throw new IllegalArgumentException("a broker password needs its user name");
        }
    }

    /**
     * Access with TLS from PEM files (each may be null: no {@code caFile} trusts the JVM's authorities, no
     * {@code certFile} and {@code keyFile} sends no client certificate), the files read and checked now.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static BrokerAccess of(Path caFile, Path certFile, Path keyFile, String engineUser, char[] enginePassword,
                                  String fieldUser, char[] fieldPassword) {
        MqttTls tls = null;
        if (caFile != null || certFile != null || keyFile != null) {
            tls = new MqttTls(caFile, certFile, keyFile);
            tls.socketFactory();
        }
        return new BrokerAccess(tls, engineUser, enginePassword, fieldUser, fieldPassword);
    }
}
