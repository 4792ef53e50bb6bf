package org.habeas.disclosure;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/** A recipient's key pair for packages: P-256, for key agreement only ({@code "use":"enc"}, ECDH-ES+A256KW). */
public final class PackageKeys {

    private PackageKeys() {
    }

    public static ECKey generate(String kid) throws JOSEException {
        return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.ENCRYPTION).algorithm(JWEAlgorithm.ECDH_ES_A256KW)
                .keyID(kid).generate();
    }
}
