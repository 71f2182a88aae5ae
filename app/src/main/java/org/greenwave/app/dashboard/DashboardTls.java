package org.greenwave.app.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The dashboard's HTTPS identity: a key and its certificate chain, from a PKCS#12 key store or from PEM files (a
 * certificate chain file and an unencrypted private key, PKCS#8 or PKCS#1/SEC1, as certbot and openssl write them).
 *
 * @param keyStore a key store holding one private key entry
 * @param password the key store's and the key's password
 * @param source   where it was read from, for messages
 */
public record DashboardTls(KeyStore keyStore, char[] password, String source) {
    /**
     * Reads a PKCS#12 key store ({@code .p12}/{@code .pfx}, e.g. from {@code keytool -genkeypair -storetype PKCS12}).
     *
     * @throws IllegalArgumentException naming the file when it cannot be read, the password is wrong, or it holds no
     *                                  private key
     */
    public static DashboardTls pkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            String alias = null;
            for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); ) {
                String a = e.nextElement();
                if (ks.isKeyEntry(a)) {
                    if (alias != null) {
                        throw new IllegalArgumentException("TLS key store " + file + " holds more than one key ("
                                + alias + ", " + a + "); keep only the dashboard's");
                    }
                    alias = a;
                }
            }
            if (alias == null) {
                throw new IllegalArgumentException("TLS key store " + file + " holds no private key");
            }
            return new DashboardTls(ks, password, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("TLS key store " + file + ": cannot be read ("
                    + (Files.exists(file) ? (e.getCause() instanceof java.security.UnrecoverableKeyException
                    ? "wrong password" : e.getMessage()) : "no such file") + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS key store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a PEM certificate chain (the server's certificate first) and its PEM private key.
     *
     * @throws IllegalArgumentException naming the file that is missing, unreadable, encrypted or of the wrong kind
     */
    public static DashboardTls pem(Path certFile, Path keyFile) {
        List<Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(certFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            chain.addAll(certs);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS certificate " + certFile + ": cannot be read ("
                    + (Files.exists(certFile) ? e.getMessage() : "no such file") + ")", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("TLS certificate " + certFile + ": holds no certificate");
        }
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                key = conv.getKeyPair(kp).getPrivate();
            } else if (o instanceof PrivateKeyInfo info) {
                key = conv.getPrivateKey(info);
            } else if (o == null) {
                throw new IllegalArgumentException("TLS key " + keyFile + ": holds no PEM private key");
            } else {
                throw new IllegalArgumentException("TLS key " + keyFile + ": is a " + o.getClass().getSimpleName()
                        + ", not an unencrypted private key (decrypt it: openssl pkey -in KEY -out KEY.plain)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("TLS key " + keyFile + ": cannot be read ("
                    + (Files.exists(keyFile) ? e.getMessage() : "no such file") + ")", e);
        }
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("TLS key " + keyFile + " (" + key.getAlgorithm()
                    + ") does not belong to the certificate " + certFile + " ("
                    + chain.get(0).getPublicKey().getAlgorithm() + ")");
        }
        try {
            char[] pw = Sessions.token().toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, pw);
            ks.setKeyEntry("dashboard", key, pw, chain.toArray(new Certificate[0]));
            return new DashboardTls(ks, pw, certFile + " + " + keyFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS key " + keyFile + " and certificate " + certFile + ": "
                    + e.getMessage(), e);
        }
    }
}
