//! JVM option strings as the JVM reads them: words split on whitespace, with single and double
//! quotes grouping words and a backslash escaping the next character (outside single quotes);
//! then the `-Dkey=value` system properties and the `-javaagent` among those words.

/// How a text of options is split into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// As HotSpot splits JAVA_TOOL_OPTIONS and _JAVA_OPTIONS (`Arguments::parse_options_buffer`):
    /// whitespace separates words, `'…'` and `"…"` group them and are removed, a backslash is
    /// an ordinary character.
    Jvm,
    /// As a POSIX shell splits a `sh -c` script: quotes as above, and a backslash escapes the
    /// next character outside single quotes (`-Dx=a\ b`).
    Shell,
}

/// The words of `text`, and whether a quote is left open: the JVM then refuses to start
/// (`Unmatched quote in JAVA_TOOL_OPTIONS`); the words read up to there are kept.
pub fn split(text: &str, syntax: Syntax) -> (Vec<String>, bool) {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut started = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') if syntax == Syntax::Shell => {
                if let Some(next) = chars.next() {
                    word.push(next);
                }
                started = true;
            }
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    (words, quote.is_some())
}

/// The words of a JVM options text (JAVA_TOOL_OPTIONS and the like).
pub fn words(text: &str) -> Vec<String> {
    split(text, Syntax::Jvm).0
}

/// The system property a word sets: `-Dkey=value` gives (key, value), `-Dkey` gives (key, "")
/// as the JVM does; anything else, or `-D` without a key, gives nothing.
pub fn property(word: &str) -> Option<(&str, &str)> {
    let rest = word.strip_prefix("-D")?;
    let (key, value) = rest.split_once('=').unwrap_or((rest, ""));
    (!key.is_empty()).then_some((key, value))
}

/// Whether a word loads a Java agent jar (`-javaagent:/otel/javaagent.jar`).
pub fn is_javaagent(word: &str) -> bool {
    word.starts_with("-javaagent:")
}

/// The variable an `otel.*` property stands for: upper case, `.` and `-` as `_`
/// (`otel.exporter.otlp.endpoint` → `OTEL_EXPORTER_OTLP_ENDPOINT`). Other properties are no
/// OpenTelemetry variable.
pub fn variable_of(key: &str) -> Option<String> {
    if !key.to_ascii_lowercase().starts_with("otel.") {
        return None;
    }
    Some(
        key.chars()
            .map(|c| match c {
                '.' | '-' => '_',
                c => c.to_ascii_uppercase(),
            })
            .collect(),
    )
}

/// JVM options that take the next word as their value.
const WITH_VALUE: &[&str] = &[
    "-cp",
    "-classpath",
    "--class-path",
    "-p",
    "--module-path",
    "--add-modules",
    "--add-opens",
    "--add-exports",
    "--add-reads",
    "--upgrade-module-path",
];

/// The JVM options of a container command (`command` then `args`): the words after a `java`
/// executable up to the main class or `-jar FILE`, whose later words are the program's
/// arguments. A `sh -c "java …"` script is split into words first. Without a `java` word,
/// `args` alone (an image whose entrypoint is `java`) are read the same way when `command` is
/// empty; the arguments of any other program are not JVM options.
pub fn command_options(command: &[String], args: &[String]) -> Vec<String> {
    let all = command_words(command, args);
    let start = all
        .iter()
        .position(|w| is_java(w))
        .map(|i| i + 1)
        .or_else(|| command.is_empty().then_some(0));
    let Some(start) = start else {
        return Vec::new();
    };
    let mut options = Vec::new();
    let mut iter = all.into_iter().skip(start);
    while let Some(word) = iter.next() {
        if word == "-jar" || !word.starts_with('-') {
            break;
        }
        let takes_value = WITH_VALUE.contains(&word.as_str());
        options.push(word);
        if takes_value {
            iter.next();
        }
    }
    options
}

/// The words of a container command (`command` then `args`), a `sh -c` script split into its
/// words.
pub fn command_words(command: &[String], args: &[String]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    let mut script = false;
    for word in command.iter().chain(args) {
        if script && word.contains(char::is_whitespace) {
            all.extend(split(word, Syntax::Shell).0);
        } else {
            all.push(word.clone());
        }
        script = word == "-c";
    }
    all
}

/// Whether `word` is a `java` executable (`java`, `/usr/bin/java`).
pub fn is_java(word: &str) -> bool {
    word.rsplit('/').next() == Some("java")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_group_words_and_spaces_separate_them() {
        assert_eq!(
            words("  -Dotel.service.name=\"my app\"   -Xmx1g\t-Da='b c' -Dq='x\"y' "),
            [
                "-Dotel.service.name=my app",
                "-Xmx1g",
                "-Da=b c",
                "-Dq=x\"y"
            ]
        );
        assert_eq!(words("-Dempty=\"\" -Dlast"), ["-Dempty=", "-Dlast"]);
        assert_eq!(words("-Dx=a\"b c\"d"), ["-Dx=ab cd"]);
        assert_eq!(words("\t\n "), Vec::<String>::new());
    }

    #[test]
    fn the_jvm_keeps_backslashes_and_a_shell_escapes_with_them() {
        let text = r"-Dd=e\ f -Dw=C:\dir";
        assert_eq!(split(text, Syntax::Jvm).0, [r"-Dd=e\", "f", r"-Dw=C:\dir"]);
        assert_eq!(split(text, Syntax::Shell).0, ["-Dd=e f", "-Dw=C:dir"]);
        assert_eq!(
            split(r#"-Dq="x\"y" 'a\b'"#, Syntax::Shell).0,
            ["-Dq=x\"y", r"a\b"]
        );
    }

    #[test]
    fn an_unmatched_quote_is_reported_with_the_words_before_it() {
        assert_eq!(
            split("-Da=1 -Dx='unclosed value", Syntax::Jvm),
            (
                vec!["-Da=1".to_string(), "-Dx=unclosed value".to_string()],
                true
            )
        );
        assert!(!split("-Dx='closed'", Syntax::Jvm).1);
    }

    #[test]
    fn properties_and_their_variables() {
        assert_eq!(property("-Dotel.a=b=c"), Some(("otel.a", "b=c")));
        assert_eq!(property("-Dflag"), Some(("flag", "")));
        assert_eq!(property("-D"), None);
        assert_eq!(property("-D=x"), None);
        assert_eq!(property("-Xmx1g"), None);
        assert_eq!(
            variable_of("otel.exporter.otlp.endpoint").as_deref(),
            Some("OTEL_EXPORTER_OTLP_ENDPOINT")
        );
        assert_eq!(
            variable_of("otel.instrumentation.common.default-enabled").as_deref(),
            Some("OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED")
        );
        assert_eq!(variable_of("management.otlp.tracing.endpoint"), None);
        assert!(is_javaagent("-javaagent:/otel/javaagent.jar"));
        assert!(!is_javaagent("-Djavaagent=x"));
    }

    #[test]
    fn command_options_stop_at_the_main_class_or_jar() {
        let v = |s: &[&str]| s.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(
            command_options(
                &v(&["java", "-Dotel.a=1", "-cp", "/app/lib/*", "-Db=2"]),
                &v(&["com.example.Main", "-Dprogram=arg"])
            ),
            ["-Dotel.a=1", "-cp", "-Db=2"]
        );
        assert_eq!(
            command_options(
                &v(&["/usr/bin/java"]),
                &v(&["-Da=1", "-jar", "app.jar", "-Dz=9"])
            ),
            ["-Da=1"]
        );
        assert_eq!(
            command_options(
                &v(&["sh", "-c"]),
                &v(&["exec java -Dotel.service.name='my app' -jar /app.jar"])
            ),
            ["-Dotel.service.name=my app"]
        );
        assert_eq!(
            command_options(&[], &v(&["-Dotel.a=1", "-jar", "app.jar"])),
            ["-Dotel.a=1"]
        );
        assert!(command_options(&v(&["/start.sh"]), &v(&["-Dotel.a=1"])).is_empty());
    }
}
