
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
            cand check-propagation 'Send a request with a fresh trace context to a running service and prove that it continues the trace and forwards it downstream'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tracectl;doctor'= {
            cand -f 'Output format on standard output'
            cand --format 'Output format on standard output'
            cand -o 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped'
            cand --output 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped'
            cand --env-file 'Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable, later files win'
            cand --env-file-format 'How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker (`docker run --env-file`: the value is everything after `=`, quotes included)'
            cand --set 'Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable, wins over the environment and env files'
            cand --java-options 'The app''s JVM options, e.g. --java-options "-javaagent:/otel.jar -Dotel.service.name=''my app''" (repeatable; words split as the JVM splits JAVA_TOOL_OPTIONS). Read at the place of the `java` command line: after JAVA_TOOL_OPTIONS and JAVA_OPTS, before _JAVA_OPTIONS. Each -Dotel.* property wins over its OTEL_* variable, as in the Java agent. With --k8s / --compose each container''s own options (env, command, args) are read instead'
            cand --sdk 'Apply this SDK''s or Jaeger client''s documented defaults where they differ from the spec (default protocol, service name variable and fallback, timeout units, agent port). Without it, an app with only JAEGER_* variables is judged as a Jaeger client (the report says so), any other by the spec''s defaults'
            cand --k8s 'Check every container of these Kubernetes manifests as a workload: a file, a directory (recursively *.yaml, *.yml, *.json) or - for standard input; repeatable. `helm template` and `kubectl get -o yaml` output are read as they are'
            cand --compose 'Check every service of this Docker Compose file as a workload; repeatable, merged in order like `docker compose -f A -f B`. The first file''s directory is the project directory; its `.env` and the process environment (unless --no-env) feed `${VAR}`, as in Compose. Files over 4 MiB are refused; `extends` and `include` are not resolved'
            cand --compose-env-file 'With --compose: read the project''s variables from this file instead of the project directory''s `.env` (docker compose --env-file)'
            cand --profile 'With --compose: activate this profile (docker compose --profile); repeatable. Without it, COMPOSE_PROFILES from the project''s variables, as in Compose'
            cand --namespace 'With --k8s: the namespace of objects that name none'
            cand --workload 'With --k8s or --compose: check only workloads whose id (namespace/kind/name/container, or the Compose service name) matches this glob (`*` and `?`); repeatable. Checks across workloads still see every workload'
            cand --sdk-for 'With --k8s or --compose: apply SDK''s defaults to workloads matching PATTERN, over what their definition shows, e.g. --sdk-for ''shop/*=javaagent''; repeatable, the first match wins. --sdk applies where neither this nor the definition names an SDK'
            cand --timeout 'Deadline for the whole run, network probes included (e.g. 500ms, 3s, 1m; 10ms to 1h)'
            cand --collector-config 'Also lint this OpenTelemetry Collector (or Jaeger v2) config YAML, and check it against the app''s settings. With --k8s / --compose: the config of each collector container whose config is not in the input'
            cand --spring-config 'A Spring Boot application.yaml, .yml or .properties file of the app (repeatable, later files win; below MANAGEMENT_* variables and -Dmanagement.* properties, as in Spring). Its management.otlp.tracing.* / management.opentelemetry.* / management.tracing.* properties are checked (SPR001–SPR005). With --k8s / --compose: for every Java container'
            cand --select 'Run only these checks: ids, names or family names, comma-separated or repeated'
            cand --skip 'Do not run these checks: ids, names or family names, comma-separated or repeated'
            cand --severity 'Change a check''s severity, e.g. --severity SVC004=info (id or name; repeatable)'
            cand --fail-on 'The lowest severity that makes the run exit 1'
            cand --scan 'Probe the well-known tracing ports (4317, 4318, 6831/udp, 14250, 16686…) of HOST and show what answers where; HOST defaults to the OTLP endpoint''s host, else localhost'
            cand --endpoint 'Also probe this endpoint, e.g. --endpoint http://collector:14268 (repeatable)'
            cand --ntp-server 'Measure the local clock against this SNTP server (HOST or HOST:PORT) instead of the servers in the host''s chrony/ntp/timesyncd configuration'
            cand --query-url 'The Jaeger query service for --e2e (the UI port), e.g. http://jaeger:16686'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand -v 'Human output: show every check, passing and skipped, with its own line'
            cand --verbose 'Human output: show every check, passing and skipped, with its own line'
            cand --list-checks 'List the checks instead of running them (--format human, json or markdown)'
            cand --no-env 'Ignore this process''s environment: only --env-file and --set count'
            cand --probe 'With --k8s or --compose: run the network checks from this machine anyway (names inside the cluster or Compose network usually do not resolve here)'
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
            cand -f 'Output format on standard output'
            cand --format 'Output format on standard output'
            cand -o 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped'
            cand --output 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped'
            cand --fail-on 'The lowest severity that makes the run exit 1'
            cand --select 'Run only these checks: ids, names or family names, comma-separated or repeated'
            cand --skip 'Do not run these checks: ids, names or family names, comma-separated or repeated'
            cand --severity 'Change a check''s severity, e.g. --severity TRC001=error (id or name; repeatable)'
            cand --trees 'How many traces to draw as trees in human output (0: none)'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand -v 'Human output: show every check, passing and skipped, with its own line'
            cand --verbose 'Human output: show every check, passing and skipped, with its own line'
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
            cand --java-options 'The app''s JVM options, e.g. --java-options "-javaagent:/otel.jar -Dotel.service.name=''my app''" (repeatable; words split as the JVM splits JAVA_TOOL_OPTIONS). Read at the place of the `java` command line: after JAVA_TOOL_OPTIONS and JAVA_OPTS, before _JAVA_OPTIONS. Each -Dotel.* property wins over its OTEL_* variable, as in the Java agent. With --k8s / --compose each container''s own options (env, command, args) are read instead'
            cand --sdk 'Apply this SDK''s or Jaeger client''s documented defaults where they differ from the spec (default protocol, service name variable and fallback, timeout units, agent port). Without it, an app with only JAEGER_* variables is judged as a Jaeger client (the report says so), any other by the spec''s defaults'
            cand --service 'The service name (resource attribute service.name); default: the name the app''s settings give (OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES; JAEGER_SERVICE_NAME for a Jaeger client), else `tracectl`'
            cand --name 'The root span''s name'
            cand --kind 'The root span''s kind'
            cand --attr 'A span attribute, typed from its text: int, float, true/false, else string (repeatable)'
            cand --resource-attr 'A resource attribute, typed like --attr (repeatable)'
            cand --event 'An event on the root span (repeatable)'
            cand --status 'The root span''s status'
            cand --spans 'How many spans: one root and N-1 children'
            cand --parent 'Continue this trace (a W3C traceparent); also read from the TRACEPARENT variable'
            cand --header 'A request header, name=value or curl''s ''Name: value'', e.g. authorization=Bearer x (repeatable; values are redacted in output and never quoted in errors). Adds to OTEL_EXPORTER_OTLP_[TRACES_]HEADERS'
            cand --ca-file 'PEM file of the CA to trust (default: OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE)'
            cand --client-cert 'PEM client certificate for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_CERTIFICATE)'
            cand --client-key 'PEM client key for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_KEY)'
            cand --compression 'Body compression (default: OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION, else none)'
            cand --rate 'Load mode: spans per second to send, 0 = as fast as possible (OTLP: gRPC or HTTP); each request carries one trace of --spans spans'
            cand --duration 'Load mode: how long to send (at most 7 days)'
            cand --workers 'Load mode: concurrent senders, each with its own connection (one gRPC connection is latency-bound; 8 keep a collector busy, docs/send-test-span.md)'
            cand --timeout 'Deadline for the send, connection included (e.g. 500ms, 3s; 10ms to 1h)'
            cand --verify 'Read the trace back from this Jaeger query service (e.g. http://jaeger:16686): every span sent must arrive; exit 1 otherwise'
            cand --verify-timeout 'How long after the send --verify waits for the trace to show up in the query service (at most 7 days)'
            cand --verify-header 'A request header for the query service, name=value or ''Name: value'', e.g. authorization=Bearer x (repeatable; values are redacted in output). An https query URL trusts --ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE)'
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
            cand --count 'Stop after this many spans (1 or more); exit 0 if they arrived'
            cand --duration 'Stop after this long (e.g. 30s, 2m; at most 7 days); exit 1 if fewer spans than expected arrived'
            cand --skew-threshold 'Report a sender whose span end times are further than this from the receive time (at most 7 days)'
            cand --summary-every 'How often to print the per-service summary while spans arrive (at most 7 days)'
            cand --max-connections 'The most TCP connections each listener holds open at once; more are closed and counted'
            cand --max-memory 'The memory listen may hold for requests (bodies, decoded spans, the queue) and its parent/child checks; requests that do not fit are refused (503) and counted'
            cand --idle-timeout 'Close a connection that sends nothing for this long after a request'
            cand --fail-on 'The lowest severity of a finding that makes listen exit 1'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand --strict 'Answer traffic for another protocol, path or encoding as a real receiver would, so the sender''s exporter fails too (gRPC on the HTTP port: 404; thrift in the other encoding: dropped). It is still named'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracectl;check-propagation'= {
            cand -X 'HTTP method of the request'
            cand --method 'HTTP method of the request'
            cand -H 'A request header, ''Name: value'' (repeatable)'
            cand --header 'A request header, ''Name: value'' (repeatable)'
            cand --data 'The request body'
            cand --requests 'How many requests to send, each with its own trace'
            cand --inject 'Formats of the context sent (comma-separated or repeated)'
            cand --trace-id 'The trace id to send (32 hex digits); fresh by default'
            cand --parent-id 'The parent span id to send (16 hex digits); fresh by default'
            cand --sampled 'The sampled flag sent'
            cand --baggage 'A baggage member to send, k=v (repeatable); tracectl.check=1 by default'
            cand --tracestate 'The tracestate sent with traceparent; checked downstream (PRP007)'
            cand --downstream 'Record the service''s outgoing calls here: PORT or IP:PORT (0 picks a free port)'
            cand --expect-downstream 'Downstream calls expected per request'
            cand --otlp-grpc 'Receive the service''s spans over OTLP gRPC: PORT or IP:PORT'
            cand --otlp-http 'Receive the service''s spans over OTLP HTTP (/v1/traces): PORT or IP:PORT'
            cand --query-url 'Read the spans back from a Jaeger query service (e.g. http://jaeger:16686) by trace id'
            cand --downstream-env 'With --exec: the variable that gives the service the downstream URL'
            cand --ready 'With --exec: wait until this URL answers 2xx before sending (else retry the first request)'
            cand -f 'Output format: human and json show every request; github, sarif, junit and markdown report one check per verdict, as doctor does'
            cand --format 'Output format: human and json show every request; github, sarif, junit and markdown report one check per verdict, as doctor does'
            cand --fail-on 'Exit 1 when a finding is at least this severe'
            cand --timeout 'The whole run''s deadline'
            cand --color 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set'
            cand --exec 'Start the service: its command line follows `--`, and it is stopped (its whole process group) at the end'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
            cand check-propagation 'Send a request with a fresh trace context to a running service and prove that it continues the trace and forwards it downstream'
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
        &'tracectl;help;check-propagation'= {
        }
        &'tracectl;help;help'= {
        }
    ]
    $completions[$command]
}
