
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
            cand decode-header 'Decode and validate trace-context propagation headers (W3C, B3, Jaeger, X-Ray, Datadog, grpc-trace-bin, sw8), or convert them to another format'
            cand send-test-span 'Send a synthetic trace over any tracing protocol and print a receipt of what the receiver answered'
            cand listen 'Receive spans on every tracing port at once, show them, and diagnose what arrives'
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
            cand --scan 'Probe the well-known tracing ports (4317, 4318, 6831/udp, 14250, 16686…) of HOST and show what answers where; HOST defaults to the OTLP endpoint''s host, else localhost'
            cand --endpoint 'Also probe this endpoint, e.g. --endpoint http://collector:14268 (repeatable)'
            cand --ntp-server 'Measure the local clock against this SNTP server (HOST or HOST:PORT) instead of the servers in the host''s chrony/ntp/timesyncd configuration'
            cand --query-url 'The Jaeger query service for --e2e (the UI port), e.g. http://jaeger:16686'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand --list-checks 'List the checks instead of running them'
            cand --no-env 'Ignore this process''s environment: only --env-file and --set count'
            cand --offline 'Skip every check that needs the network, saying so in the report'
            cand --e2e 'Run the end-to-end check (PPL001): send one test span where the settings point and read it back through --query-url before the --timeout deadline'
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
        &'tracectl;decode-header'= {
            cand --as 'Read bare values as this header instead of guessing from their shape'
            cand --level 'Trace Context level whose rules apply where levels differ: tracestate keys, duplicate keys, the random flag'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --to 'Print each request''s trace context as headers of this format, saying what cannot be carried over'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand --each-line 'Decode every line on its own (e.g. values grepped out of access logs) instead of grouping lines into requests; results are numbered by input line and a count ends the output'
            cand -q 'Print nothing: the exit code alone says whether every header is valid'
            cand --quiet 'Print nothing: the exit code alone says whether every header is valid'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracectl;send-test-span'= {
            cand --endpoint 'Where to send: a URL (http://host:4318, https://host:4317) or, for UDP, host:port. An HTTP URL without a path gets the protocol''s path (/v1/traces, /api/traces, /api/v2/spans)'
            cand --protocol 'The protocol; default: OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL, else the SDK''s default'
            cand -f 'Receipt format'
            cand --format 'Receipt format'
            cand --env-file 'Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable, later files win'
            cand --env-file-format 'How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker (`docker run --env-file`: the value is everything after `=`, quotes included)'
            cand --set 'Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable, wins over the environment and env files'
            cand --sdk 'Apply this SDK''s documented defaults where they differ from the spec (default protocol, default service name, timeout units)'
            cand --service 'The service name (resource attribute service.name)'
            cand --name 'The root span''s name'
            cand --kind 'The root span''s kind'
            cand --attr 'A span attribute, typed from its text: int, float, true/false, else string (repeatable)'
            cand --resource-attr 'A resource attribute, typed like --attr (repeatable)'
            cand --event 'An event on the root span (repeatable)'
            cand --status 'The root span''s status'
            cand --spans 'How many spans: one root and N-1 children'
            cand --parent 'Continue this trace (a W3C traceparent); also read from the TRACEPARENT variable'
            cand --header 'A request header, e.g. authorization=Bearer x (repeatable; values are redacted in output). Adds to OTEL_EXPORTER_OTLP_[TRACES_]HEADERS'
            cand --ca-file 'PEM file of the CA to trust (default: OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE)'
            cand --client-cert 'PEM client certificate for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_CERTIFICATE)'
            cand --client-key 'PEM client key for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_KEY)'
            cand --compression 'Body compression (default: OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION, else none)'
            cand --rate 'Load mode: spans per second to send, 0 = as fast as possible (OTLP: gRPC or HTTP); each request carries one trace of --spans spans'
            cand --duration 'Load mode: how long to send'
            cand --workers 'Load mode: concurrent senders, each with its own connection (one gRPC connection is latency-bound; 8 keep a collector busy, docs/send-test-span.md)'
            cand --timeout 'Deadline for the send, connection included (e.g. 500ms, 3s)'
            cand --verify 'Read the trace back from this Jaeger query service (e.g. http://jaeger:16686): every span sent must arrive; exit 1 otherwise'
            cand --verify-timeout 'How long after the send --verify waits for the trace to show up in the query service'
            cand --verify-header 'A request header for the query service, e.g. authorization=Bearer x (repeatable; values are redacted in output). An https query URL trusts --ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE)'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand --no-env 'Ignore this process''s environment: only --env-file and --set count'
            cand --insecure 'For gRPC without a scheme: plaintext instead of TLS (like OTEL_EXPORTER_OTLP_INSECURE)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracectl;listen'= {
            cand -f 'Output format: aligned lines for people, or one JSON object per span (JSON Lines)'
            cand --format 'Output format: aligned lines for people, or one JSON object per span (JSON Lines)'
            cand --bind 'The address every listener binds unless moved; 0.0.0.0 exposes them to other machines'
            cand --only 'Run only these listeners (comma-separated or repeated)'
            cand --otlp-grpc 'OTLP gRPC listener: PORT, IP:PORT or off'
            cand --otlp-http 'OTLP HTTP listener (/v1/traces): PORT, IP:PORT or off'
            cand --jaeger-compact 'Jaeger agent UDP listener for thrift compact: PORT, IP:PORT or off'
            cand --jaeger-binary 'Jaeger agent UDP listener for thrift binary: PORT, IP:PORT or off'
            cand --jaeger-http 'Jaeger collector HTTP listener (/api/traces): PORT, IP:PORT or off'
            cand --zipkin 'Zipkin HTTP listener (/api/v2/spans): PORT, IP:PORT or off'
            cand --count 'Stop after this many spans; exit 0 if they arrived'
            cand --duration 'Stop after this long (e.g. 30s, 2m); exit 1 if fewer spans than expected arrived'
            cand --skew-threshold 'Report a sender whose span end times are further than this from the receive time'
            cand --summary-every 'How often to print the per-service summary while spans arrive'
            cand --max-connections 'The most TCP connections each listener holds open at once; more are closed and counted'
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
            cand decode-header 'Decode and validate trace-context propagation headers (W3C, B3, Jaeger, X-Ray, Datadog, grpc-trace-bin, sw8), or convert them to another format'
            cand send-test-span 'Send a synthetic trace over any tracing protocol and print a receipt of what the receiver answered'
            cand listen 'Receive spans on every tracing port at once, show them, and diagnose what arrives'
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
        &'tracectl;help;decode-header'= {
        }
        &'tracectl;help;send-test-span'= {
        }
        &'tracectl;help;listen'= {
        }
        &'tracectl;help;help'= {
        }
    ]
    $completions[$command]
}
