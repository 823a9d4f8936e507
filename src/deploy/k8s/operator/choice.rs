//! Which Instrumentation an `inject-*` annotation selects, as the webhook chooses it: the pod's
//! value wins over the namespace's unless it is `"true"` and the namespace names an instance;
//! `"true"` needs exactly one Instrumentation in the namespace; `name` and `namespace/name`
//! must exist.

use super::instrumentation::Instrumentation;
use crate::deploy::Location;

/// An annotation's value and the line it is written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub value: String,
    pub at: Location,
}

/// The value the webhook acts on, from the pod template's and the namespace's annotation.
pub fn effective(pod: Option<Annotation>, namespace: Option<Annotation>) -> Option<Annotation> {
    let pod = pod.filter(|a| !a.value.is_empty());
    let namespace = namespace.filter(|a| !a.value.is_empty());
    match (pod, namespace) {
        (pod, None) => pod,
        (None, ns) => ns,
        (Some(pod), Some(ns)) => {
            let pod_true = pod.value.eq_ignore_ascii_case("true");
            if !pod_true || ns.value.eq_ignore_ascii_case("false") {
                Some(pod)
            } else {
                Some(ns)
            }
        }
    }
}

/// Why no Instrumentation was chosen for a value other than `"false"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoChoice {
    /// `"true"` and this many Instrumentations (0 or more than 1) in the namespace.
    Count(usize),
    /// The named `namespace/name` is not in the input.
    Missing(String),
}

/// The Instrumentation `value` selects for a pod in `namespace`; `Ok(None)` for `"false"`.
pub fn choose<'a>(
    value: &str,
    namespace: &str,
    all: &'a [Instrumentation],
) -> Result<Option<&'a Instrumentation>, NoChoice> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("false") {
        return Ok(None);
    }
    if value.eq_ignore_ascii_case("true") {
        let here: Vec<&Instrumentation> = all.iter().filter(|i| i.namespace == namespace).collect();
        return match here.as_slice() {
            [one] => Ok(Some(*one)),
            other => Err(NoChoice::Count(other.len())),
        };
    }
    let (ns, name) = value.split_once('/').unwrap_or((namespace, value));
    all.iter()
        .find(|i| i.namespace == ns && i.name == name)
        .map(Some)
        .ok_or_else(|| NoChoice::Missing(format!("{ns}/{name}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(value: &str) -> Option<Annotation> {
        Some(Annotation {
            value: value.into(),
            at: Location::new("m.yaml", 1),
        })
    }

    fn value(pod: &str, ns: &str) -> Option<String> {
        let opt = |v: &str| if v.is_empty() { None } else { a(v) };
        effective(opt(pod), opt(ns)).map(|a| a.value)
    }

    #[test]
    fn the_pod_wins_unless_it_says_true_and_the_namespace_names_an_instance() {
        assert_eq!(value("true", ""), Some("true".into()));
        assert_eq!(value("", "my-inst"), Some("my-inst".into()));
        assert_eq!(value("false", "my-inst"), Some("false".into()));
        assert_eq!(value("other", "my-inst"), Some("other".into()));
        assert_eq!(value("true", "my-inst"), Some("my-inst".into()));
        assert_eq!(value("true", "false"), Some("true".into()));
        assert_eq!(value("", ""), None);
    }

    fn inst(ns: &str, name: &str) -> Instrumentation {
        Instrumentation::empty(ns, name)
    }

    #[test]
    fn true_needs_exactly_one_and_names_must_exist() {
        let all = vec![inst("shop", "a"), inst("obs", "b"), inst("obs", "c")];
        assert_eq!(choose("true", "shop", &all).unwrap().unwrap().name, "a");
        assert_eq!(choose("TRUE", "obs", &all), Err(NoChoice::Count(2)));
        assert_eq!(choose("true", "empty", &all), Err(NoChoice::Count(0)));
        assert_eq!(choose("obs/c", "shop", &all).unwrap().unwrap().name, "c");
        assert_eq!(
            choose("c", "shop", &all),
            Err(NoChoice::Missing("shop/c".into()))
        );
        assert_eq!(choose("false", "shop", &all), Ok(None));
    }
}
