package io.kdpipe.extractor.kingdee;

import java.util.Objects;

import io.kdpipe.common.config.Secret;

/** How the extractor proves who it is to a Kingdee site; sites are set up for one of these. */
public sealed interface KingdeeAuth {

    /** {@code ValidateUser}: user name and password, then the session cookies. */
    record Password(Secret password) implements KingdeeAuth {
        public Password {
            Objects.requireNonNull(password, "password");
        }
    }

    /** {@code LoginByAppSecret}: a third-party app's id and secret, then the session cookies. */
    record AppSecret(String appId, Secret appSecret) implements KingdeeAuth {
        public AppSecret {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(appSecret, "appSecret");
        }
    }

    /** {@code LoginBySign}: a signed login with the app's id and secret, then the session cookies. */
    record SignedLogin(String appId, Secret appSecret) implements KingdeeAuth {
        public SignedLogin {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(appSecret, "appSecret");
        }
    }

    /** The official SDK's way: signature headers on every call, no login call. */
    record SignatureHeaders(String appId, Secret appSecret, String orgNumber) implements KingdeeAuth {
        public SignatureHeaders {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(appSecret, "appSecret");
        }
    }

    /** The mode's name for logs and metrics. */
    default String mode() {
        if (this instanceof Password) {
            return "password";
        }
        if (this instanceof AppSecret) {
            return "app_secret";
        }
        if (this instanceof SignedLogin) {
            return "signed_login";
        }
        return "signature_headers";
    }
}
