/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttTlsTest {
    @TempDir
    Path dir;

    @Test
    void everyBadFileIsNamedWithWhatIsWrong() throws IOException {
        assertThatThrownBy(() -> new MqttTls(null, dir.resolve("c.pem"), null))
                .hasMessageContaining("a client certificate needs its key").hasMessageContaining("c.pem");

        Path missing = dir.resolve("missing-ca.pem");
        assertThatThrownBy(() -> new MqttTls(missing, null, null).socketFactory())
                .hasMessageContaining("certificate file " + missing + ": cannot be read");

        Path notPem = dir.resolve("ca.pem");
        Files.writeString(notPem, "hello\n");
        assertThatThrownBy(() -> new MqttTls(notPem, null, null).socketFactory())
                .hasMessageStartingWith("certificate file " + notPem);

        assertThat(new MqttTls(null, null, null).socketFactory()).as("the JVM's trust store").isNotNull();
    }

    @Test
    void aKeyNotInPkcs8FormSaysHowToConvertIt() throws Exception {
        Path ca = dir.resolve("ca.pem");
        Path key = dir.resolve("ca.key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", ca.toString(), "-days", "1", "-subj", "/CN=t").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(new MqttTls(ca, ca, key).socketFactory()).as("PKCS #8 key, its own certificate").isNotNull();

        Path pkcs1 = dir.resolve("rsa.key");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK==\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new MqttTls(ca, ca, pkcs1).socketFactory())
                .hasMessageContaining("key file " + pkcs1 + ": a RSA key")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);

        Path noKey = dir.resolve("none.key");
        Files.writeString(noKey, "nothing here\n");
        assertThatThrownBy(() -> new MqttTls(ca, ca, noKey).socketFactory())
                .hasMessageContaining("key file " + noKey + ": no PEM private key");

        assertThatThrownBy(() -> MqttGatewayOptions.builder().brokerUrl("tcp://127.0.0.1:1883")
                .tls(new MqttTls(ca, null, null)).build()).hasMessageContaining("is not ssl:// or wss://");
        assertThat(MqttGatewayOptions.builder().brokerUrl("ssl://127.0.0.1:8883").tls(new MqttTls(ca, null, null))
                .build().tlsSocketFactory()).isNotNull();
    }
}
