//! OTEL_RESOURCE_ATTRIBUTES: `key1=value1,key2=value2`, `,` and `=` percent-encoded inside keys and
//! values. By the spec, any decoding error discards the whole variable.

use serde::Serialize;

use super::percent;

pub const RESOURCE_ATTRIBUTES: &str = "OTEL_RESOURCE_ATTRIBUTES";

/// The attributes an SDK takes from OTEL_RESOURCE_ATTRIBUTES, or why it discards them all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceAttributes {
    /// In order; empty when `error` is set.
    pub attributes: Vec<(String, String)>,
    /// Why the SDK discards the whole variable.
    pub error: Option<String>,
}

impl ResourceAttributes {
    pub fn parse(text: &str) -> ResourceAttributes {
        match parse_all(text) {
            Ok(attributes) => ResourceAttributes {
                attributes,
                error: None,
            },
            Err(error) => ResourceAttributes {
                attributes: Vec::new(),
                error: Some(error),
            },
        }
    }

    /// The last value of `key`, as SDKs let later entries win.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn parse_all(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut attributes = Vec::new();
    for (index, entry) in text.split(',').enumerate() {
        let n = index + 1;
        if entry.trim().is_empty() {
            continue;
        }
        let (key, value) = entry
            .split_once('=')
            .ok_or_else(|| format!("entry {n} has no `=` (write key=value)"))?;
        let key = percent::decode(key.trim()).map_err(|e| format!("entry {n}: key: {e}"))?;
        if key.is_empty() {
            return Err(format!("entry {n} has an empty key"));
        }
        let value = percent::decode(value.trim()).map_err(|e| format!("entry {n} ({key}): {e}"))?;
        attributes.push((key, value));
    }
    Ok(attributes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_decodes() {
        let r = ResourceAttributes::parse(
            " service.name = my%20app ,deployment.environment=prod,x=a%2Cb%3Dc,",
        );
        assert_eq!(r.error, None);
        assert_eq!(r.get("service.name"), Some("my app"));
        assert_eq!(r.get("x"), Some("a,b=c"));
    }

    #[test]
    fn any_error_discards_everything() {
        for bad in [
            "service.name=a,oops",
            "service.name=100%",
            "=x",
            "a=b,c=%zz",
        ] {
            let r = ResourceAttributes::parse(bad);
            assert!(r.error.is_some(), "{bad}");
            assert!(r.attributes.is_empty(), "{bad}");
        }
    }
}
