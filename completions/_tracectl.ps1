
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tracectl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tracectl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tracectl' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the tracing settings an app would run with, and report what is wrong and how to fix it')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a check: what it looks at, why it matters, how to fix what it finds')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Read a trace export (Jaeger, OTLP or Zipkin JSON, or span lines) and report clock skew, broken propagation and service-name problems')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to standard output')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to standard output')
            [CompletionResult]::new('decode-header', 'decode-header', [CompletionResultType]::ParameterValue, 'Decode and validate trace-context propagation headers (W3C, B3, Jaeger, X-Ray, Datadog, grpc-trace-bin, sw8), or convert them to another format')
            [CompletionResult]::new('send-test-span', 'send-test-span', [CompletionResultType]::ParameterValue, 'Send a synthetic trace over any tracing protocol and print a receipt of what the receiver answered')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Receive spans on every tracing port at once, show them, and diagnose what arrives')
            [CompletionResult]::new('check-propagation', 'check-propagation', [CompletionResultType]::ParameterValue, 'Send a request with a fresh trace context to a running service and prove that it continues the trace and forwards it downstream')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;doctor' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format on standard output')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format on standard output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable, later files win')
            [CompletionResult]::new('--env-file-format', '--env-file-format', [CompletionResultType]::ParameterName, 'How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker (`docker run --env-file`: the value is everything after `=`, quotes included)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable, wins over the environment and env files')
            [CompletionResult]::new('--java-options', '--java-options', [CompletionResultType]::ParameterName, 'The app''s JVM options, e.g. --java-options "-javaagent:/otel.jar -Dotel.service.name=''my app''" (repeatable; words split as the JVM splits JAVA_TOOL_OPTIONS). Read at the place of the `java` command line: after JAVA_TOOL_OPTIONS and JAVA_OPTS, before _JAVA_OPTIONS. Each -Dotel.* property wins over its OTEL_* variable, as in the Java agent. With --k8s / --compose each container''s own options (env, command, args) are read instead')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'Apply this SDK''s or Jaeger client''s documented defaults where they differ from the spec (default protocol, service name variable and fallback, timeout units, agent port). Without it, an app with only JAEGER_* variables is judged as a Jaeger client (the report says so), any other by the spec''s defaults')
            [CompletionResult]::new('--k8s', '--k8s', [CompletionResultType]::ParameterName, 'Check every container of these Kubernetes manifests as a workload: a file, a directory (recursively *.yaml, *.yml, *.json) or - for standard input; repeatable. `helm template` and `kubectl get -o yaml` output are read as they are')
            [CompletionResult]::new('--compose', '--compose', [CompletionResultType]::ParameterName, 'Check every service of this Docker Compose file as a workload; repeatable, merged in order like `docker compose -f A -f B`. The first file''s directory is the project directory; its `.env` and the process environment (unless --no-env) feed `${VAR}`, as in Compose. Files over 4 MiB are refused; `extends` and `include` are not resolved')
            [CompletionResult]::new('--compose-env-file', '--compose-env-file', [CompletionResultType]::ParameterName, 'With --compose: read the project''s variables from this file instead of the project directory''s `.env` (docker compose --env-file)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'With --compose: activate this profile (docker compose --profile); repeatable. Without it, COMPOSE_PROFILES from the project''s variables, as in Compose')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'With --k8s: the namespace of objects that name none')
            [CompletionResult]::new('--workload', '--workload', [CompletionResultType]::ParameterName, 'With --k8s or --compose: check only workloads whose id (namespace/kind/name/container, or the Compose service name) matches this glob (`*` and `?`); repeatable. Checks across workloads still see every workload')
            [CompletionResult]::new('--sdk-for', '--sdk-for', [CompletionResultType]::ParameterName, 'With --k8s or --compose: apply SDK''s defaults to workloads matching PATTERN, over what their definition shows, e.g. --sdk-for ''shop/*=javaagent''; repeatable, the first match wins. --sdk applies where neither this nor the definition names an SDK')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for the whole run, network probes included (e.g. 500ms, 3s, 1m; 10ms to 1h)')
            [CompletionResult]::new('--collector-config', '--collector-config', [CompletionResultType]::ParameterName, 'Also lint this OpenTelemetry Collector (or Jaeger v2) config YAML, and check it against the app''s settings. With --k8s / --compose: the config of each collector container whose config is not in the input')
            [CompletionResult]::new('--spring-config', '--spring-config', [CompletionResultType]::ParameterName, 'A Spring Boot application.yaml, .yml or .properties file of the app (repeatable, later files win; below MANAGEMENT_* variables and -Dmanagement.* properties, as in Spring). Its management.otlp.tracing.* / management.opentelemetry.* / management.tracing.* properties are checked (SPR001–SPR005). With --k8s / --compose: for every Java container')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these checks: ids, names or family names, comma-separated or repeated')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run these checks: ids, names or family names, comma-separated or repeated')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'Change a check''s severity, e.g. --severity SVC004=info (id or name; repeatable)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest severity that makes the run exit 1')
            [CompletionResult]::new('--scan', '--scan', [CompletionResultType]::ParameterName, 'Probe the well-known tracing ports (4317, 4318, 6831/udp, 14250, 16686…) of HOST and show what answers where; HOST defaults to the OTLP endpoint''s host, else localhost')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Also probe this endpoint, e.g. --endpoint http://collector:14268 (repeatable)')
            [CompletionResult]::new('--ntp-server', '--ntp-server', [CompletionResultType]::ParameterName, 'Measure the local clock against this SNTP server (HOST or HOST:PORT) instead of the servers in the host''s chrony/ntp/timesyncd configuration')
            [CompletionResult]::new('--query-url', '--query-url', [CompletionResultType]::ParameterName, 'The Jaeger query service for --e2e (the UI port), e.g. http://jaeger:16686')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Human output: show every check, passing and skipped, with its own line')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Human output: show every check, passing and skipped, with its own line')
            [CompletionResult]::new('--list-checks', '--list-checks', [CompletionResultType]::ParameterName, 'List the checks instead of running them (--format human, json or markdown)')
            [CompletionResult]::new('--no-env', '--no-env', [CompletionResultType]::ParameterName, 'Ignore this process''s environment: only --env-file and --set count')
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'With --k8s or --compose: run the network checks from this machine anyway (names inside the cluster or Compose network usually do not resolve here)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Skip every check that needs the network, saying so in the report')
            [CompletionResult]::new('--e2e', '--e2e', [CompletionResultType]::ParameterName, 'Run the end-to-end check (PPL001): send one test span where the settings point and read it back through --query-url before the --timeout deadline')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;explain' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;analyze' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format on standard output')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format on standard output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest severity that makes the run exit 1')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Run only these checks: ids, names or family names, comma-separated or repeated')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run these checks: ids, names or family names, comma-separated or repeated')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'Change a check''s severity, e.g. --severity TRC001=error (id or name; repeatable)')
            [CompletionResult]::new('--trees', '--trees', [CompletionResultType]::ParameterName, 'How many traces to draw as trees in human output (0: none)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Human output: show every check, passing and skipped, with its own line')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Human output: show every check, passing and skipped, with its own line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;decode-header' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Read bare values as this header instead of guessing from their shape')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Trace Context level whose rules apply where levels differ: tracestate keys, duplicate keys, the random flag')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Print each request''s trace context as headers of this format, saying what cannot be carried over')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('--each-line', '--each-line', [CompletionResultType]::ParameterName, 'Decode every line on its own (e.g. values grepped out of access logs) instead of grouping lines into requests; results are numbered by input line and a count ends the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing: the exit code alone says whether every header is valid')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing: the exit code alone says whether every header is valid')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;send-test-span' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Where to send: a URL (http://host:4318, https://host:4317) or, for UDP, host:port. An HTTP URL without a path gets the protocol''s path (/v1/traces, /api/traces, /api/v2/spans)')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The protocol; default: OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL, else the SDK''s default')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Receipt format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Receipt format')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable, later files win')
            [CompletionResult]::new('--env-file-format', '--env-file-format', [CompletionResultType]::ParameterName, 'How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker (`docker run --env-file`: the value is everything after `=`, quotes included)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable, wins over the environment and env files')
            [CompletionResult]::new('--java-options', '--java-options', [CompletionResultType]::ParameterName, 'The app''s JVM options, e.g. --java-options "-javaagent:/otel.jar -Dotel.service.name=''my app''" (repeatable; words split as the JVM splits JAVA_TOOL_OPTIONS). Read at the place of the `java` command line: after JAVA_TOOL_OPTIONS and JAVA_OPTS, before _JAVA_OPTIONS. Each -Dotel.* property wins over its OTEL_* variable, as in the Java agent. With --k8s / --compose each container''s own options (env, command, args) are read instead')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'Apply this SDK''s or Jaeger client''s documented defaults where they differ from the spec (default protocol, service name variable and fallback, timeout units, agent port). Without it, an app with only JAEGER_* variables is judged as a Jaeger client (the report says so), any other by the spec''s defaults')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service name (resource attribute service.name); default: the name the app''s settings give (OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES; JAEGER_SERVICE_NAME for a Jaeger client), else `tracectl`')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The root span''s name')
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'The root span''s kind')
            [CompletionResult]::new('--attr', '--attr', [CompletionResultType]::ParameterName, 'A span attribute, typed from its text: int, float, true/false, else string (repeatable)')
            [CompletionResult]::new('--resource-attr', '--resource-attr', [CompletionResultType]::ParameterName, 'A resource attribute, typed like --attr (repeatable)')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'An event on the root span (repeatable)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'The root span''s status')
            [CompletionResult]::new('--spans', '--spans', [CompletionResultType]::ParameterName, 'How many spans: one root and N-1 children')
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'Continue this trace (a W3C traceparent); also read from the TRACEPARENT variable')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, name=value or curl''s ''Name: value'', e.g. authorization=Bearer x (repeatable; values are redacted in output and never quoted in errors). Adds to OTEL_EXPORTER_OTLP_[TRACES_]HEADERS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA to trust (default: OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE)')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'PEM client certificate for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_CERTIFICATE)')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'PEM client key for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_KEY)')
            [CompletionResult]::new('--compression', '--compression', [CompletionResultType]::ParameterName, 'Body compression (default: OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION, else none)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Load mode: spans per second to send, 0 = as fast as possible (OTLP: gRPC or HTTP); each request carries one trace of --spans spans')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Load mode: how long to send (at most 7 days)')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Load mode: concurrent senders, each with its own connection (one gRPC connection is latency-bound; 8 keep a collector busy, docs/send-test-span.md)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline for the send, connection included (e.g. 500ms, 3s; 10ms to 1h)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Read the trace back from this Jaeger query service (e.g. http://jaeger:16686): every span sent must arrive; exit 1 otherwise')
            [CompletionResult]::new('--verify-timeout', '--verify-timeout', [CompletionResultType]::ParameterName, 'How long after the send --verify waits for the trace to show up in the query service (at most 7 days)')
            [CompletionResult]::new('--verify-header', '--verify-header', [CompletionResultType]::ParameterName, 'A request header for the query service, name=value or ''Name: value'', e.g. authorization=Bearer x (repeatable; values are redacted in output). An https query URL trusts --ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('--no-env', '--no-env', [CompletionResultType]::ParameterName, 'Ignore this process''s environment: only --env-file and --set count')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'For gRPC without a scheme: plaintext instead of TLS (like OTEL_EXPORTER_OTLP_INSECURE)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;listen' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format: aligned lines for people, or one JSON object per span (JSON Lines)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: aligned lines for people, or one JSON object per span (JSON Lines)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'The address every listener binds unless moved; 0.0.0.0 exposes them to other machines')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Run only these listeners (comma-separated or repeated)')
            [CompletionResult]::new('--otlp-grpc', '--otlp-grpc', [CompletionResultType]::ParameterName, 'OTLP gRPC listener: PORT, IP:PORT or off')
            [CompletionResult]::new('--otlp-http', '--otlp-http', [CompletionResultType]::ParameterName, 'OTLP HTTP listener (/v1/traces): PORT, IP:PORT or off')
            [CompletionResult]::new('--jaeger-compact', '--jaeger-compact', [CompletionResultType]::ParameterName, 'Jaeger agent UDP listener for thrift compact: PORT, IP:PORT or off')
            [CompletionResult]::new('--jaeger-binary', '--jaeger-binary', [CompletionResultType]::ParameterName, 'Jaeger agent UDP listener for thrift binary: PORT, IP:PORT or off')
            [CompletionResult]::new('--jaeger-http', '--jaeger-http', [CompletionResultType]::ParameterName, 'Jaeger collector HTTP listener (/api/traces): PORT, IP:PORT or off')
            [CompletionResult]::new('--zipkin', '--zipkin', [CompletionResultType]::ParameterName, 'Zipkin HTTP listener (/api/v2/spans): PORT, IP:PORT or off')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after this many spans (1 or more); exit 0 if they arrived')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Stop after this long (e.g. 30s, 2m; at most 7 days); exit 1 if fewer spans than expected arrived')
            [CompletionResult]::new('--skew-threshold', '--skew-threshold', [CompletionResultType]::ParameterName, 'Report a sender whose span end times are further than this from the receive time (at most 7 days)')
            [CompletionResult]::new('--summary-every', '--summary-every', [CompletionResultType]::ParameterName, 'How often to print the per-service summary while spans arrive (at most 7 days)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'The most TCP connections each listener holds open at once; more are closed and counted')
            [CompletionResult]::new('--max-memory', '--max-memory', [CompletionResultType]::ParameterName, 'The memory listen may hold for requests (bodies, decoded spans, the queue) and its parent/child checks; requests that do not fit are refused (503) and counted')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection that sends nothing for this long after a request')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest severity of a finding that makes listen exit 1')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Answer traffic for another protocol, path or encoding as a real receiver would, so the sender''s exporter fails too (gRPC on the HTTP port: 404; thrift in the other encoding: dropped). It is still named')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;check-propagation' {
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'HTTP method of the request')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'HTTP method of the request')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'A request header, ''Name: value'' (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, ''Name: value'' (repeatable)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The request body')
            [CompletionResult]::new('--requests', '--requests', [CompletionResultType]::ParameterName, 'How many requests to send, each with its own trace')
            [CompletionResult]::new('--inject', '--inject', [CompletionResultType]::ParameterName, 'Formats of the context sent (comma-separated or repeated)')
            [CompletionResult]::new('--trace-id', '--trace-id', [CompletionResultType]::ParameterName, 'The trace id to send (32 hex digits); fresh by default')
            [CompletionResult]::new('--parent-id', '--parent-id', [CompletionResultType]::ParameterName, 'The parent span id to send (16 hex digits); fresh by default')
            [CompletionResult]::new('--sampled', '--sampled', [CompletionResultType]::ParameterName, 'The sampled flag sent')
            [CompletionResult]::new('--baggage', '--baggage', [CompletionResultType]::ParameterName, 'A baggage member to send, k=v (repeatable); tracectl.check=1 by default')
            [CompletionResult]::new('--tracestate', '--tracestate', [CompletionResultType]::ParameterName, 'The tracestate sent with traceparent; checked downstream (PRP007)')
            [CompletionResult]::new('--downstream', '--downstream', [CompletionResultType]::ParameterName, 'Record the service''s outgoing calls here: PORT or IP:PORT (0 picks a free port)')
            [CompletionResult]::new('--expect-downstream', '--expect-downstream', [CompletionResultType]::ParameterName, 'Downstream calls expected per request')
            [CompletionResult]::new('--otlp-grpc', '--otlp-grpc', [CompletionResultType]::ParameterName, 'Receive the service''s spans over OTLP gRPC: PORT or IP:PORT')
            [CompletionResult]::new('--otlp-http', '--otlp-http', [CompletionResultType]::ParameterName, 'Receive the service''s spans over OTLP HTTP (/v1/traces): PORT or IP:PORT')
            [CompletionResult]::new('--query-url', '--query-url', [CompletionResultType]::ParameterName, 'Read the spans back from a Jaeger query service (e.g. http://jaeger:16686) by trace id')
            [CompletionResult]::new('--downstream-env', '--downstream-env', [CompletionResultType]::ParameterName, 'With --exec: the variable that gives the service the downstream URL')
            [CompletionResult]::new('--ready', '--ready', [CompletionResultType]::ParameterName, 'With --exec: wait until this URL answers 2xx before sending (else retry the first request)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format: human and json show every request; github, sarif, junit and markdown report one check per verdict, as doctor does')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: human and json show every request; github, sarif, junit and markdown report one check per verdict, as doctor does')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at least this severe')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The whole run''s deadline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Start the service: its command line follows `--`, and it is stopped (its whole process group) at the end')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracectl;help' {
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the tracing settings an app would run with, and report what is wrong and how to fix it')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a check: what it looks at, why it matters, how to fix what it finds')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Read a trace export (Jaeger, OTLP or Zipkin JSON, or span lines) and report clock skew, broken propagation and service-name problems')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to standard output')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to standard output')
            [CompletionResult]::new('decode-header', 'decode-header', [CompletionResultType]::ParameterValue, 'Decode and validate trace-context propagation headers (W3C, B3, Jaeger, X-Ray, Datadog, grpc-trace-bin, sw8), or convert them to another format')
            [CompletionResult]::new('send-test-span', 'send-test-span', [CompletionResultType]::ParameterValue, 'Send a synthetic trace over any tracing protocol and print a receipt of what the receiver answered')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Receive spans on every tracing port at once, show them, and diagnose what arrives')
            [CompletionResult]::new('check-propagation', 'check-propagation', [CompletionResultType]::ParameterValue, 'Send a request with a fresh trace context to a running service and prove that it continues the trace and forwards it downstream')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracectl;help;doctor' {
            break
        }
        'tracectl;help;explain' {
            break
        }
        'tracectl;help;analyze' {
            break
        }
        'tracectl;help;completions' {
            break
        }
        'tracectl;help;man' {
            break
        }
        'tracectl;help;decode-header' {
            break
        }
        'tracectl;help;send-test-span' {
            break
        }
        'tracectl;help;listen' {
            break
        }
        'tracectl;help;check-propagation' {
            break
        }
        'tracectl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
