//! The containers the webhook instruments: `container-names` (all languages) plus
//! `<lang>-container-names`, else the pod's first container; the webhook refuses the whole pod
//! when a list has characters other than letters, digits, `-` and `,`, repeats a name, or when
//! several languages are injected and one of them has no list.

/// The container lists the annotations give each injected language, in the pod's language order.
pub fn lists(
    common: Option<&str>,
    languages: &[(&str, Option<&str>)],
) -> Result<Vec<Vec<String>>, String> {
    let split = |value: &str| -> Result<Vec<String>, String> {
        if !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ',')
        {
            return Err(format!(
                "the container-names value `{value}` has characters other than letters, digits, `-` and `,` (no spaces)"
            ));
        }
        Ok(value.split(',').map(str::to_string).collect())
    };
    let common = match common.filter(|v| !v.is_empty()) {
        Some(v) => split(v)?,
        None => Vec::new(),
    };
    let mut all = Vec::new();
    for (lang, own) in languages {
        let mut names = common.clone();
        if let Some(v) = own.filter(|v| !v.is_empty()) {
            names.extend(split(v)?);
        }
        let mut seen = names.clone();
        seen.retain(|n| !n.is_empty());
        seen.sort();
        if let Some(w) = seen.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!("container `{}` is listed twice for {lang}", w[0]));
        }
        all.push(names);
    }
    if all.len() > 1 && all.iter().any(Vec::is_empty) {
        return Err(
            "several languages are injected and not all of them name their containers (<lang>-container-names)"
                .to_string(),
        );
    }
    Ok(all)
}

/// The containers of `list` that exist in the pod (`containers` then init containers); the first
/// app container when the list is empty.
pub fn resolve(list: &[String], containers: &[(String, bool)]) -> Vec<String> {
    if list.is_empty() {
        return containers
            .iter()
            .find(|(_, init)| !init)
            .map(|(n, _)| vec![n.clone()])
            .unwrap_or_default();
    }
    // Init containers are instrumented first, then app containers, each in the pod's order.
    let mut out: Vec<String> = Vec::new();
    for want_init in [true, false] {
        for (name, init) in containers {
            if *init == want_init && list.contains(name) && !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_language_lists_add_up() {
        let l = lists(Some("a,b"), &[("python", None)]).unwrap();
        assert_eq!(l, [vec!["a".to_string(), "b".to_string()]]);
        let l = lists(None, &[("java", Some("a")), ("python", Some("b"))]).unwrap();
        assert_eq!(l[1], ["b"]);
        assert!(
            lists(Some("a, b"), &[("python", None)])
                .unwrap_err()
                .contains("no spaces")
        );
        assert!(
            lists(Some("a"), &[("java", Some("a"))])
                .unwrap_err()
                .contains("twice")
        );
        assert!(lists(None, &[("java", Some("a")), ("python", None)]).is_err());
        assert_eq!(
            lists(None, &[("java", None)]).unwrap(),
            [Vec::<String>::new()]
        );
    }

    #[test]
    fn the_first_app_container_is_the_default() {
        let pod = [
            ("init".to_string(), true),
            ("app".to_string(), false),
            ("side".to_string(), false),
        ];
        assert_eq!(resolve(&[], &pod), ["app"]);
        let list = ["side".to_string(), "init".to_string(), "gone".to_string()];
        assert_eq!(resolve(&list, &pod), ["init", "side"]);
    }
}
