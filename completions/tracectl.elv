
use builtin;
use str;

set edit:completion:arg-completer[tracectl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tracectl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tracectl'= {
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand doctor 'Check the tracing settings an app would run with, and report what is wrong and how to fix it'
            cand explain 'Explain a check: what it looks at, why it matters, how to fix what it finds'
            cand analyze 'Read a trace export (Jaeger, OTLP or Zipkin JSON, or span lines) and report clock skew, broken propagation and service-name problems'
            cand completions 'Print a shell completion script to standard output'
            cand man 'Print the man page (roff) to standard output'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tracectl;doctor'= {
            cand -f 'Output format'
            cand --format 'Output format'
            cand --env-file 'Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable, later files win'
            cand --env-file-format 'How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker (`docker run --env-file`: the value is everything after `=`, quotes included)'
            cand --set 'Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable, wins over the environment and env files'
            cand --sdk 'Apply this SDK''s documented defaults where they differ from the spec (default protocol, default service name, timeout units)'
            cand --timeout 'Deadline for the whole run, network probes included (e.g. 500ms, 3s, 1m)'
            cand --collector-config 'Also lint this OpenTelemetry Collector (or Jaeger v2) config YAML, and check it against the app''s settings'
            cand --select 'Run only these checks: ids, names or family names, comma-separated or repeated'
            cand --skip 'Do not run these checks: ids, names or family names, comma-separated or repeated'
            cand --severity 'Change a check''s severity, e.g. --severity SVC004=info (id or name; repeatable)'
            cand --fail-on 'The lowest severity that makes the run exit 1'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand --list-checks 'List the checks instead of running them'
            cand --no-env 'Ignore this process''s environment: only --env-file and --set count'
            cand --offline 'Skip every check that needs the network, saying so in the report'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracectl;explain'= {
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracectl;analyze'= {
            cand -f 'Output format'
            cand --format 'Output format'
            cand --fail-on 'The lowest severity that makes the run exit 1'
            cand --select 'Run only these checks: ids, names or family names, comma-separated or repeated'
            cand --skip 'Do not run these checks: ids, names or family names, comma-separated or repeated'
            cand --severity 'Change a check''s severity, e.g. --severity TRC001=error (id or name; repeatable)'
            cand --trees 'How many traces to draw as trees in human output (0: none)'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracectl;completions'= {
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracectl;man'= {
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracectl;help'= {
            cand doctor 'Check the tracing settings an app would run with, and report what is wrong and how to fix it'
            cand explain 'Explain a check: what it looks at, why it matters, how to fix what it finds'
            cand analyze 'Read a trace export (Jaeger, OTLP or Zipkin JSON, or span lines) and report clock skew, broken propagation and service-name problems'
            cand completions 'Print a shell completion script to standard output'
            cand man 'Print the man page (roff) to standard output'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tracectl;help;doctor'= {
        }
        &'tracectl;help;explain'= {
        }
        &'tracectl;help;analyze'= {
        }
        &'tracectl;help;completions'= {
        }
        &'tracectl;help;man'= {
        }
        &'tracectl;help;help'= {
        }
    ]
    $completions[$command]
}
