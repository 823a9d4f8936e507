//! Word wrapping for human output on a terminal. Commands stay copy-pasteable: a `backtick span`
//! and `export NAME=VALUE` are never split across lines, even when longer than the width.

/// `text` in lines of at most `width` columns (longer only for one unsplittable unit).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    fill(units(text), " ", width)
}

/// `units` joined by `sep` into lines of at most `width` columns; a unit is never split.
pub fn fill(units: impl IntoIterator<Item = String>, sep: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for unit in units {
        let fits = line.chars().count() + sep.len() + unit.chars().count() <= width;
        if line.is_empty() {
            line = unit;
        } else if fits {
            line.push_str(sep);
            line.push_str(&unit);
        } else {
            lines.push(std::mem::replace(&mut line, unit));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Words, with backtick spans and `export X=Y` joined into one unit each.
fn units(text: &str) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut open = false;
    for word in text.split_whitespace() {
        let joins_export = units.last().is_some_and(|u| u == "export");
        if open || joins_export {
            if let Some(last) = units.last_mut() {
                last.push(' ');
                last.push_str(word);
            }
        } else {
            units.push(word.to_string());
        }
        if word.matches('`').count() % 2 == 1 {
            open = !open;
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn evidence_facts_stay_whole() {
        let facts = [
            "a=1".to_string(),
            "container=/.dockerenv exists".into(),
            "b=2".into(),
        ];
        assert_eq!(
            super::fill(facts, "  ", 20),
            ["a=1", "container=/.dockerenv exists", "b=2"]
        );
    }

    #[test]
    fn commands_are_never_split() {
        let text = "Start it: `docker run --rm -p 4317:4317 otel/opentelemetry-collector` now.";
        assert_eq!(
            wrap(text, 20),
            [
                "Start it:",
                "`docker run --rm -p 4317:4317 otel/opentelemetry-collector`",
                "now."
            ]
        );
        assert_eq!(
            wrap(
                "export OTEL_SERVICE_NAME=<your-service> (or set it in code)",
                12
            ),
            [
                "export OTEL_SERVICE_NAME=<your-service>",
                "(or set it",
                "in code)"
            ]
        );
    }
}
