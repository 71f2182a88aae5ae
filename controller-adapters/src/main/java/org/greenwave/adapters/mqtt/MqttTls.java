/*
 * Greenwave - adaptive traffic-signal control engine.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
package org.greenwave.adapters.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS towards the broker from PEM files, the form brokers (Mosquitto, EMQX, HiveMQ) and their operators use: the
 * certificate authorities to trust (instead of the JVM's defaults) and, for brokers that ask for a client
 * certificate, the engine's certificate chain and its private key (PKCS #8, {@code BEGIN PRIVATE KEY}, unencrypted;
 * {@code openssl pkcs8 -topk8 -nocrypt} converts other forms). The broker's host name is verified against its
 * certificate. Built once at start-up; every problem is an {@link IllegalArgumentException} naming the file.
 *
 * @param caFile   PEM certificates to trust, or null for the JVM's default trust store
 * @param certFile PEM client certificate chain, or null; needs {@code keyFile}
 * @param keyFile  PEM PKCS #8 private key of {@code certFile}, or null
 */
public record MqttTls(Path caFile, Path certFile, Path keyFile) {
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

    /** @throws IllegalArgumentException when only one of the client certificate and key is given */
    public MqttTls {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs its key and a key its certificate (got "
                    + (certFile == null ? "key " + keyFile + " alone" : "certificate " + certFile + " alone") + ")");
        }
    }

    /**
     * Reads the files and makes the socket factory.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public SSLSocketFactory socketFactory() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(caFile)) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (certFile != null) {
                List<Certificate> chain = certificates(certFile);
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                char[] none = new char[0];
                keys.setKeyEntry("client", privateKey(keyFile), none, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The PEM certificates in {@code file}; at least one. @throws IllegalArgumentException naming the file */
    static List<Certificate> certificates(Path file) {
        byte[] bytes = read(file, "certificate");
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("certificate file " + file + ": holds no PEM certificate");
            }
            return new ArrayList<>(certs);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("certificate file " + file + ": not PEM X.509 certificates ("
                    + e.getMessage() + ")", e);
        }
    }

    /** The PEM PKCS #8 private key in {@code file}. @throws IllegalArgumentException naming the file */
    static PrivateKey privateKey(Path file) {
        String pem = new String(read(file, "key"), StandardCharsets.US_ASCII);
        Matcher m = KEY.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("key file " + file + ": no PEM private key (BEGIN PRIVATE KEY)");
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException("key file " + file + ": a " + m.group(1).trim() + " key; give it in "
                    + "unencrypted PKCS #8 form (BEGIN PRIVATE KEY): openssl pkcs8 -topk8 -nocrypt -in " + file);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key file " + file + ": damaged base64 (" + e.getMessage() + ")", e);
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("key file " + file + ": not an RSA, EC or EdDSA private key");
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " file " + file + ": cannot be read (" + e + ")", e);
        }
    }
}
