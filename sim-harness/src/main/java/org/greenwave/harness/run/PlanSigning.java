package org.greenwave.harness.run;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.greenwave.adapters.mqtt.MessageSigner;
import org.greenwave.adapters.mqtt.SigningKeys;
import org.greenwave.adapters.mqtt.TrustedKeys;

/**
 * The keys of a run over MQTT: the engine signs its plans with {@code signer}, the field side takes only plans signed
 * by one of {@code trusted}.
 */
public record PlanSigning(MessageSigner signer, TrustedKeys trusted) {
    public PlanSigning {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(trusted, "trusted");
    }

    /** A key pair made for one run, so a simulation needs no set-up. */
    public static PlanSigning ephemeral() {
        KeyPair pair = SigningKeys.newKeyPair();
        return new PlanSigning(new MessageSigner(pair.getPrivate()), new TrustedKeys(List.of(pair.getPublic())));
    }

    /**
     * The engine's private key from {@code privateKey}; the field side trusts the public keys in {@code publicKeys},
     * or, when there are none, the private key's own public key.
     *
     * @throws IOException naming the file that cannot be read as a key
     */
    public static PlanSigning read(Path privateKey, List<Path> publicKeys) throws IOException {
        MessageSigner signer = MessageSigner.read(privateKey);
        if (publicKeys.isEmpty()) {
            return new PlanSigning(signer, new TrustedKeys(List.of(
                    SigningKeys.publicOf(SigningKeys.readPrivate(privateKey)))));
        }
        return new PlanSigning(signer, TrustedKeys.read(new ArrayList<>(publicKeys)));
    }
}
