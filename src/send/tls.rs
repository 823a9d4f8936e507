//! TLS material from PEM files, for reqwest and tonic.

use std::path::Path;

use super::TlsFiles;

fn read(what: &str, path: &Path) -> Result<Vec<u8>, String> {
    crate::input::read_file(path, crate::input::PEM).map_err(|e| {
        format!(
            "cannot read the {what} {}: {}; pass a readable PEM file",
            path.display(),
            crate::text::io_reason(&e)
        )
    })
}

/// The CA and client identity PEMs, read once.
pub struct Pems {
    pub ca: Option<Vec<u8>>,
    /// Certificate and key.
    pub identity: Option<(Vec<u8>, Vec<u8>)>,
}

impl Pems {
    pub fn load(files: &TlsFiles) -> Result<Pems, String> {
        let ca = files
            .ca
            .as_deref()
            .map(|p| read("CA file", p))
            .transpose()?;
        let identity = match (&files.client_cert, &files.client_key) {
            (Some(c), Some(k)) => Some((read("client certificate", c)?, read("client key", k)?)),
            (None, None) => None,
            _ => {
                return Err(
                    "mutual TLS needs both --client-cert and --client-key (or both variables)"
                        .into(),
                );
            }
        };
        Ok(Pems { ca, identity })
    }
}

/// Reads and parses the TLS files, to refuse unusable ones before anything is sent.
pub fn check(files: &TlsFiles) -> Result<(), String> {
    let pems = Pems::load(files)?;
    if let (Some(ca), Some(path)) = (&pems.ca, &files.ca)
        && !ca.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----")
    {
        return Err(format!(
            "the CA file {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        ));
    }
    reqwest_builder(&pems).map(|_| ())
}

pub fn reqwest_builder(pems: &Pems) -> Result<reqwest::ClientBuilder, String> {
    let mut builder = reqwest::Client::builder();
    if let Some(ca) = &pems.ca {
        let cert = reqwest::Certificate::from_pem(ca)
            .map_err(|e| format!("the CA file is not a PEM certificate: {e}"))?;
        builder = builder.add_root_certificate(cert);
    }
    if let Some((cert, key)) = &pems.identity {
        let mut pem = cert.clone();
        pem.push(b'\n');
        pem.extend_from_slice(key);
        let identity = reqwest::Identity::from_pem(&pem)
            .map_err(|e| format!("the client certificate and key are not usable PEM: {e}"))?;
        builder = builder.identity(identity);
    }
    Ok(builder)
}

pub fn tonic_config(pems: &Pems, domain: &str) -> tonic::transport::ClientTlsConfig {
    let mut config = tonic::transport::ClientTlsConfig::new()
        .domain_name(domain)
        .with_native_roots();
    if let Some(ca) = &pems.ca {
        config = config.ca_certificate(tonic::transport::Certificate::from_pem(ca));
    }
    if let Some((cert, key)) = &pems.identity {
        config = config.identity(tonic::transport::Identity::from_pem(cert, key));
    }
    config
}
