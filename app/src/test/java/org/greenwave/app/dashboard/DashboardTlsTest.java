package org.greenwave.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard over HTTPS, its identity from PKCS#12 or PEM files made here with the JDK's keytool. */
class DashboardTlsTest {
    @TempDir
    Path dir;

    private Path keystore() throws Exception {
        Path p12 = dir.resolve("dashboard.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", "store-pass",
                "-keypass", "store-pass", "-alias", "dashboard", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return p12;
    }

    private static HttpClient trusting(KeyStore ks) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("dashboard", ks.getCertificate("dashboard"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).build();
    }

    @Test
    void servesHttpsWithSecureHostOnlyCookiesFromAPkcs12KeyStore() throws Exception {
        Path p12 = keystore();
        DashboardTls tls = DashboardTls.pkcs12(p12, "store-pass".toCharArray());
        Path users = dir.resolve("users");
        Users.add(users, "olga", Role.OPERATOR, PasswordHash.hash("olga's password".toCharArray()), false);
        try (DashboardServer server = DashboardServer.start(DashboardAuthTest.corridorDashboard(),
                new DashboardServer.Options().bind("127.0.0.1", 0).tls(tls).users(Users.read(users)))) {
            assertThat(server.url()).startsWith("https://localhost:");
            assertThat(server.warnings()).isEmpty();
            HttpResponse<String> login = trusting(tls.keyStore()).send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/login")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
                    .startsWith("__Host-gw_login=").contains("; Secure").contains("HttpOnly")
                    .contains("SameSite=Strict"));
            assertThat(login.headers().firstValue("Strict-Transport-Security")).isPresent();
            // Plain HTTP on the HTTPS port gets no page.
            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
                    + "/login")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void readsPemCertificateAndKeyAndNamesWhatIsWrong() throws Exception {
        Path p12 = keystore();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "store-pass".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("dashboard", "store-pass".toCharArray());
        Certificate cert = ks.getCertificate("dashboard");
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Path crt = dir.resolve("d.crt");
        Path pem = dir.resolve("d.key");
        Files.writeString(crt, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        DashboardTls tls = DashboardTls.pem(crt, pem);
        try (DashboardServer server = DashboardServer.start(DashboardAuthTest.corridorDashboard(),
                new DashboardServer.Options().bind("127.0.0.1", 0).tls(tls))) {
            HttpResponse<String> frame = trusting(ks).send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/api/frame")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(frame.statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> DashboardTls.pkcs12(p12, "wrong".toCharArray()))
                .hasMessageContaining(p12.toString()).hasMessageContaining("password");
        assertThatThrownBy(() -> DashboardTls.pem(crt, dir.resolve("none.key")))
                .hasMessageContaining("none.key").hasMessageContaining("no such file");
        assertThatThrownBy(() -> DashboardTls.pem(pem, pem)).hasMessageContaining("TLS certificate " + pem);
        assertThatThrownBy(() -> DashboardTls.pem(crt, crt)).hasMessageContaining("not an unencrypted private key");
        assertThat(List.of(tls.source())).singleElement().asString().contains("d.crt");
    }
}
