//! The TLS provider of the HTTP client.
//!
//! With the default `rustls` feature, TLS is rustls with the `ring` crypto provider. reqwest's
//! own default provider is `aws-lc-rs`, whose C library is compiled from source by its build
//! script: the longest step of a cold build of an application by far. `ring` builds in a
//! fraction of that time and needs no OpenSSL. `native-tls` (OpenSSL on Linux) stays opt-in.
//!
//! reqwest built this way takes the process-wide default rustls provider, and panics when there
//! is none. The SDK installs `ring` as that default when it builds its client, if no other
//! provider was installed first. A client of your own for
//! `ClientBuilder::http_client` is built from [`http_client_builder`], which does the same
//! before handing over reqwest's builder.

/// reqwest's [`ClientBuilder`](reqwest::ClientBuilder), ready for TLS with the SDK's provider:
/// for an HTTP client of your own (a proxy, an extra root certificate, …).
///
/// With the `rustls` feature this installs `ring` as the process's default rustls crypto
/// provider, unless one is installed already; the application's own choice always wins.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
}

/// Installs `ring` as the process's default rustls provider when none is installed.
fn install_crypto_provider() {
    #[cfg(feature = "rustls")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one in between; whichever came first is kept.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(all(test, feature = "rustls"))]
mod tests {
    #[test]
    fn a_client_builds_and_ring_is_the_default_provider_after() {
        super::http_client_builder().build().unwrap();
        let provider = rustls::crypto::CryptoProvider::get_default().unwrap();
        let ring = rustls::crypto::ring::default_provider();
        assert_eq!(
            provider.cipher_suites.len(),
            ring.cipher_suites.len(),
            "the installed provider is ring's"
        );
    }
}
