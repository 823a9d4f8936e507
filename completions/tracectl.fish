# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tracectl_global_optspecs
    string join \n color= h/help V/version
end

function __fish_tracectl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tracectl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tracectl_using_subcommand
    set -l cmd (__fish_tracectl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tracectl -n "__fish_tracectl_needs_command" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_needs_command" -s h -l help -d 'Print help'
complete -c tracectl -n "__fish_tracectl_needs_command" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "doctor" -d 'Check the tracing settings an app would run with, and report what is wrong and how to fix it'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "explain" -d 'Explain a check: what it looks at, why it matters, how to fix what it finds'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "analyze" -d 'Read a trace export (Jaeger, OTLP or Zipkin JSON, or span lines) and report clock skew, broken propagation and service-name problems'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "completions" -d 'Print a shell completion script to standard output'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "man" -d 'Print the man page (roff) to standard output'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "decode-header" -d 'Decode and validate trace-context propagation headers (W3C, B3, Jaeger, X-Ray, Datadog, grpc-trace-bin, sw8), or convert them to another format'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "send-test-span" -d 'Send a synthetic trace over any tracing protocol and print a receipt of what the receiver answered'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "listen" -d 'Receive spans on every tracing port at once, show them, and diagnose what arrives'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "check-propagation" -d 'Send a request with a fresh trace context to a running service and prove that it continues the trace and forwards it downstream'
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -s f -l format -d 'Output format on standard output' -r -f -a "human\t'Aligned text for people: failing checks in full, passing families one line each'
json\t'One JSON document (schema in docs/output.md)'
github\t'GitHub Actions workflow annotations'
sarif\t'SARIF 2.1.0, for GitHub code scanning and other SARIF viewers'
junit\t'JUnit XML: one testsuite per family, one testcase per check (GitLab, Jenkins)'
markdown\t'Markdown for a pull-request comment or CI job summary, with a Mermaid pipeline diagram'"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -s o -l output -d 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l env-file -d 'Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable, later files win' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l env-file-format -d 'How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker (`docker run --env-file`: the value is everything after `=`, quotes included)' -r -f -a "dotenv\t'dotenv / docker compose `env_file`: quotes are removed, `\\n` escapes work in double quotes, `# comments` after unquoted values are dropped, `export ` is allowed'
docker\t'`docker run --env-file`: everything after the first `=` is the value, quotes included'"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l set -d 'Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable, wins over the environment and env files' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l java-options -d 'The app\'s JVM options, e.g. --java-options "-javaagent:/otel.jar -Dotel.service.name=\'my app\'" (repeatable; words split as the JVM splits JAVA_TOOL_OPTIONS). Read at the place of the `java` command line: after JAVA_TOOL_OPTIONS and JAVA_OPTS, before _JAVA_OPTIONS. Each -Dotel.* property wins over its OTEL_* variable, as in the Java agent. With --k8s / --compose each container\'s own options (env, command, args) are read instead' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l sdk -d 'Apply this SDK\'s or Jaeger client\'s documented defaults where they differ from the spec (default protocol, service name variable and fallback, timeout units, agent port). Without it, an app with only JAEGER_* variables is judged as a Jaeger client (the report says so), any other by the spec\'s defaults' -r -f -a "spec\t'The OpenTelemetry specification\'s defaults'
go\t''
java\t''
javaagent\t''
python\t''
node\t''
dotnet\t''
rust\t''
jaeger\t'A legacy Jaeger client, by what the Go, Java and Node clients share'
jaeger-go\t''
jaeger-java\t''
jaeger-python\t''
jaeger-node\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l k8s -d 'Check every container of these Kubernetes manifests as a workload: a file, a directory (recursively *.yaml, *.yml, *.json) or - for standard input; repeatable. `helm template` and `kubectl get -o yaml` output are read as they are' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l compose -d 'Check every service of this Docker Compose file as a workload; repeatable, merged in order like `docker compose -f A -f B`. The first file\'s directory is the project directory; its `.env` and the process environment (unless --no-env) feed `${VAR}`, as in Compose. Files over 4 MiB are refused; `extends` and `include` are not resolved' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l compose-env-file -d 'With --compose: read the project\'s variables from this file instead of the project directory\'s `.env` (docker compose --env-file)' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l profile -d 'With --compose: activate this profile (docker compose --profile); repeatable. Without it, COMPOSE_PROFILES from the project\'s variables, as in Compose' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l namespace -d 'With --k8s: the namespace of objects that name none' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l workload -d 'With --k8s or --compose: check only workloads whose id (namespace/kind/name/container, or the Compose service name) matches this glob (`*` and `?`); repeatable. Checks across workloads still see every workload' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l sdk-for -d 'With --k8s or --compose: apply SDK\'s defaults to workloads matching PATTERN, over what their definition shows, e.g. --sdk-for \'shop/*=javaagent\'; repeatable, the first match wins. --sdk applies where neither this nor the definition names an SDK' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l timeout -d 'Deadline for the whole run, network probes included (e.g. 500ms, 3s, 1m; 10ms to 1h)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l collector-config -d 'Also lint this OpenTelemetry Collector (or Jaeger v2) config YAML, and check it against the app\'s settings. With --k8s / --compose: the config of each collector container whose config is not in the input' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l spring-config -d 'A Spring Boot application.yaml, .yml or .properties file of the app (repeatable, later files win; below MANAGEMENT_* variables and -Dmanagement.* properties, as in Spring). Its management.otlp.tracing.* / management.opentelemetry.* / management.tracing.* properties are checked (SPR001–SPR005). With --k8s / --compose: for every Java container' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l select -d 'Run only these checks: ids, names or family names, comma-separated or repeated' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l skip -d 'Do not run these checks: ids, names or family names, comma-separated or repeated' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l severity -d 'Change a check\'s severity, e.g. --severity SVC004=info (id or name; repeatable)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l fail-on -d 'The lowest severity that makes the run exit 1' -r -f -a "info\t''
warning\t''
error\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l scan -d 'Probe the well-known tracing ports (4317, 4318, 6831/udp, 14250, 16686…) of HOST and show what answers where; HOST defaults to the OTLP endpoint\'s host, else localhost' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l endpoint -d 'Also probe this endpoint, e.g. --endpoint http://collector:14268 (repeatable)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l ntp-server -d 'Measure the local clock against this SNTP server (HOST or HOST:PORT) instead of the servers in the host\'s chrony/ntp/timesyncd configuration' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l query-url -d 'The Jaeger query service for --e2e (the UI port), e.g. http://jaeger:16686' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -s v -l verbose -d 'Human output: show every check, passing and skipped, with its own line'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l list-checks -d 'List the checks instead of running them (--format human, json or markdown)'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l no-env -d 'Ignore this process\'s environment: only --env-file and --set count'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l probe -d 'With --k8s or --compose: run the network checks from this machine anyway (names inside the cluster or Compose network usually do not resolve here)'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l offline -d 'Skip every check that needs the network, saying so in the report'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l e2e -d 'Run the end-to-end check (PPL001): send one test span where the settings point and read it back through --query-url before the --timeout deadline'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s f -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s h -l help -d 'Print help'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -s f -l format -d 'Output format on standard output' -r -f -a "human\t'Aligned text for people: failing checks in full, passing families one line each'
json\t'One JSON document (schema in docs/output.md)'
github\t'GitHub Actions workflow annotations'
sarif\t'SARIF 2.1.0, for GitHub code scanning and other SARIF viewers'
junit\t'JUnit XML: one testsuite per family, one testcase per check (GitLab, Jenkins)'
markdown\t'Markdown for a pull-request comment or CI job summary, with a Mermaid pipeline diagram'"
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -s o -l output -d 'Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif keeps the human report on the terminal and writes SARIF for upload. Human output in a file is plain text, never coloured or wrapped' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -l fail-on -d 'The lowest severity that makes the run exit 1' -r -f -a "info\t''
warning\t''
error\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -l select -d 'Run only these checks: ids, names or family names, comma-separated or repeated' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -l skip -d 'Do not run these checks: ids, names or family names, comma-separated or repeated' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -l severity -d 'Change a check\'s severity, e.g. --severity TRC001=error (id or name; repeatable)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -l trees -d 'How many traces to draw as trees in human output (0: none)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -s v -l verbose -d 'Human output: show every check, passing and skipped, with its own line'
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tracectl -n "__fish_tracectl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand man" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand man" -s h -l help -d 'Print help'
complete -c tracectl -n "__fish_tracectl_using_subcommand man" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand decode-header" -l as -d 'Read bare values as this header instead of guessing from their shape' -r -f -a "traceparent\t''
w3c\t''
traceresponse\t''
tracestate\t''
baggage\t''
uber-trace-id\t''
jaeger\t''
uberctx\t''
jaeger-debug-id\t''
b3\t''
x-b3-traceid\t''
x-b3-spanid\t''
x-b3-parentspanid\t''
x-b3-sampled\t''
x-b3-flags\t''
x-amzn-trace-id\t''
xray\t''
x-datadog-trace-id\t''
datadog\t''
x-datadog-parent-id\t''
x-datadog-sampling-priority\t''
x-datadog-origin\t''
x-datadog-tags\t''
grpc-trace-bin\t''
sw8\t''
server-timing\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand decode-header" -l level -d 'Trace Context level whose rules apply where levels differ: tracestate keys, duplicate keys, the random flag' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand decode-header" -s f -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand decode-header" -l to -d 'Print each request\'s trace context as headers of this format, saying what cannot be carried over' -r -f -a "w3c\t'traceparent'
b3\t'b3 single header'
b3multi\t'X-B3-TraceId, X-B3-SpanId, X-B3-Sampled / X-B3-Flags'
jaeger\t'uber-trace-id'
xray\t'X-Amzn-Trace-Id'
datadog\t'x-datadog-trace-id, x-datadog-parent-id, x-datadog-sampling-priority, x-datadog-tags'"
complete -c tracectl -n "__fish_tracectl_using_subcommand decode-header" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand decode-header" -l each-line -d 'Decode every line on its own (e.g. values grepped out of access logs) instead of grouping lines into requests; results are numbered by input line and a count ends the output'
complete -c tracectl -n "__fish_tracectl_using_subcommand decode-header" -s q -l quiet -d 'Print nothing: the exit code alone says whether every header is valid'
complete -c tracectl -n "__fish_tracectl_using_subcommand decode-header" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand decode-header" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l endpoint -d 'Where to send: a URL (http://host:4318, https://host:4317) or, for UDP, host:port. An HTTP URL without a path gets the protocol\'s path (/v1/traces, /api/traces, /api/v2/spans)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l protocol -d 'The protocol; default: OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL, else the SDK\'s default' -r -f -a "grpc\t'OTLP over gRPC (default port 4317)'
http/protobuf\t'OTLP protobuf over HTTP (port 4318, /v1/traces)'
http/json\t'OTLP JSON over HTTP (port 4318, /v1/traces)'
jaeger-udp-compact\t'Jaeger thrift compact over UDP to an agent (port 6831)'
jaeger-udp-binary\t'Jaeger thrift binary over UDP to an agent (port 6832)'
jaeger-http\t'Jaeger thrift binary over HTTP to a collector (port 14268, /api/traces)'
zipkin\t'Zipkin v2 JSON over HTTP (port 9411, /api/v2/spans)'"
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -s f -l format -d 'Receipt format' -r -f -a "human\t''
json\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l env-file -d 'Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable, later files win' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l env-file-format -d 'How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker (`docker run --env-file`: the value is everything after `=`, quotes included)' -r -f -a "dotenv\t'dotenv / docker compose `env_file`: quotes are removed, `\\n` escapes work in double quotes, `# comments` after unquoted values are dropped, `export ` is allowed'
docker\t'`docker run --env-file`: everything after the first `=` is the value, quotes included'"
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l set -d 'Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable, wins over the environment and env files' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l java-options -d 'The app\'s JVM options, e.g. --java-options "-javaagent:/otel.jar -Dotel.service.name=\'my app\'" (repeatable; words split as the JVM splits JAVA_TOOL_OPTIONS). Read at the place of the `java` command line: after JAVA_TOOL_OPTIONS and JAVA_OPTS, before _JAVA_OPTIONS. Each -Dotel.* property wins over its OTEL_* variable, as in the Java agent. With --k8s / --compose each container\'s own options (env, command, args) are read instead' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l sdk -d 'Apply this SDK\'s or Jaeger client\'s documented defaults where they differ from the spec (default protocol, service name variable and fallback, timeout units, agent port). Without it, an app with only JAEGER_* variables is judged as a Jaeger client (the report says so), any other by the spec\'s defaults' -r -f -a "spec\t'The OpenTelemetry specification\'s defaults'
go\t''
java\t''
javaagent\t''
python\t''
node\t''
dotnet\t''
rust\t''
jaeger\t'A legacy Jaeger client, by what the Go, Java and Node clients share'
jaeger-go\t''
jaeger-java\t''
jaeger-python\t''
jaeger-node\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l service -d 'The service name (resource attribute service.name); default: the name the app\'s settings give (OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES; JAEGER_SERVICE_NAME for a Jaeger client), else `tracectl`' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l name -d 'The root span\'s name' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l kind -d 'The root span\'s kind' -r -f -a "internal\t''
server\t''
client\t''
producer\t''
consumer\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l attr -d 'A span attribute, typed from its text: int, float, true/false, else string (repeatable)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l resource-attr -d 'A resource attribute, typed like --attr (repeatable)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l event -d 'An event on the root span (repeatable)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l status -d 'The root span\'s status' -r -f -a "ok\t''
error\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l spans -d 'How many spans: one root and N-1 children' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l parent -d 'Continue this trace (a W3C traceparent); also read from the TRACEPARENT variable' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l header -d 'A request header, name=value or curl\'s \'Name: value\', e.g. authorization=Bearer x (repeatable; values are redacted in output and never quoted in errors). Adds to OTEL_EXPORTER_OTLP_[TRACES_]HEADERS' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l ca-file -d 'PEM file of the CA to trust (default: OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE)' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l client-cert -d 'PEM client certificate for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_CERTIFICATE)' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l client-key -d 'PEM client key for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_KEY)' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l compression -d 'Body compression (default: OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION, else none)' -r -f -a "gzip\t''
none\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l rate -d 'Load mode: spans per second to send, 0 = as fast as possible (OTLP: gRPC or HTTP); each request carries one trace of --spans spans' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l duration -d 'Load mode: how long to send (at most 7 days)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l workers -d 'Load mode: concurrent senders, each with its own connection (one gRPC connection is latency-bound; 8 keep a collector busy, docs/send-test-span.md)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l timeout -d 'Deadline for the send, connection included (e.g. 500ms, 3s; 10ms to 1h)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l verify -d 'Read the trace back from this Jaeger query service (e.g. http://jaeger:16686): every span sent must arrive; exit 1 otherwise' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l verify-timeout -d 'How long after the send --verify waits for the trace to show up in the query service (at most 7 days)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l verify-header -d 'A request header for the query service, name=value or \'Name: value\', e.g. authorization=Bearer x (repeatable; values are redacted in output). An https query URL trusts --ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l no-env -d 'Ignore this process\'s environment: only --env-file and --set count'
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -l insecure -d 'For gRPC without a scheme: plaintext instead of TLS (like OTEL_EXPORTER_OTLP_INSECURE)'
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand send-test-span" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -s f -l format -d 'Output format: aligned lines for people, or one JSON object per span (JSON Lines)' -r -f -a "human\t''
json\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l bind -d 'The address every listener binds unless moved; 0.0.0.0 exposes them to other machines' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l only -d 'Run only these listeners (comma-separated or repeated)' -r -f -a "otlp-grpc\t''
otlp-http\t''
jaeger-compact\t''
jaeger-binary\t''
jaeger-http\t''
zipkin\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l otlp-grpc -d 'OTLP gRPC listener: PORT, IP:PORT or off' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l otlp-http -d 'OTLP HTTP listener (/v1/traces): PORT, IP:PORT or off' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l jaeger-compact -d 'Jaeger agent UDP listener for thrift compact: PORT, IP:PORT or off' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l jaeger-binary -d 'Jaeger agent UDP listener for thrift binary: PORT, IP:PORT or off' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l jaeger-http -d 'Jaeger collector HTTP listener (/api/traces): PORT, IP:PORT or off' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l zipkin -d 'Zipkin HTTP listener (/api/v2/spans): PORT, IP:PORT or off' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l count -d 'Stop after this many spans (1 or more); exit 0 if they arrived' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l duration -d 'Stop after this long (e.g. 30s, 2m; at most 7 days); exit 1 if fewer spans than expected arrived' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l skew-threshold -d 'Report a sender whose span end times are further than this from the receive time (at most 7 days)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l summary-every -d 'How often to print the per-service summary while spans arrive (at most 7 days)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l max-connections -d 'The most TCP connections each listener holds open at once; more are closed and counted' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l max-memory -d 'The memory listen may hold for requests (bodies, decoded spans, the queue) and its parent/child checks; requests that do not fit are refused (503) and counted' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l idle-timeout -d 'Close a connection that sends nothing for this long after a request' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l fail-on -d 'The lowest severity of a finding that makes listen exit 1' -r -f -a "info\t''
warning\t''
error\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -l strict -d 'Answer traffic for another protocol, path or encoding as a real receiver would, so the sender\'s exporter fails too (gRPC on the HTTP port: 404; thrift in the other encoding: dropped). It is still named'
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -s h -l help -d 'Print help'
complete -c tracectl -n "__fish_tracectl_using_subcommand listen" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -s X -l method -d 'HTTP method of the request' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -s H -l header -d 'A request header, \'Name: value\' (repeatable)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l data -d 'The request body' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l requests -d 'How many requests to send, each with its own trace' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l inject -d 'Formats of the context sent (comma-separated or repeated)' -r -f -a "tracecontext\t''
baggage\t''
b3\t''
b3multi\t''
jaeger\t''
xray\t''
datadog\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l trace-id -d 'The trace id to send (32 hex digits); fresh by default' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l parent-id -d 'The parent span id to send (16 hex digits); fresh by default' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l sampled -d 'The sampled flag sent' -r -f -a "true\t''
false\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l baggage -d 'A baggage member to send, k=v (repeatable); tracectl.check=1 by default' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l tracestate -d 'The tracestate sent with traceparent; checked downstream (PRP007)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l downstream -d 'Record the service\'s outgoing calls here: PORT or IP:PORT (0 picks a free port)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l expect-downstream -d 'Downstream calls expected per request' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l otlp-grpc -d 'Receive the service\'s spans over OTLP gRPC: PORT or IP:PORT' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l otlp-http -d 'Receive the service\'s spans over OTLP HTTP (/v1/traces): PORT or IP:PORT' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l query-url -d 'Read the spans back from a Jaeger query service (e.g. http://jaeger:16686) by trace id' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l downstream-env -d 'With --exec: the variable that gives the service the downstream URL' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l ready -d 'With --exec: wait until this URL answers 2xx before sending (else retry the first request)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -s f -l format -d 'Output format: human and json show every request; github, sarif, junit and markdown report one check per verdict, as doctor does' -r -f -a "human\t'Aligned text for people: failing checks in full, passing families one line each'
json\t'One JSON document (schema in docs/output.md)'
github\t'GitHub Actions workflow annotations'
sarif\t'SARIF 2.1.0, for GitHub code scanning and other SARIF viewers'
junit\t'JUnit XML: one testsuite per family, one testcase per check (GitLab, Jenkins)'
markdown\t'Markdown for a pull-request comment or CI job summary, with a Mermaid pipeline diagram'"
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l fail-on -d 'Exit 1 when a finding is at least this severe' -r -f -a "info\t''
warning\t''
error\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l timeout -d 'The whole run\'s deadline' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -l exec -d 'Start the service: its command line follows `--`, and it is stopped (its whole process group) at the end'
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand check-propagation" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "doctor" -d 'Check the tracing settings an app would run with, and report what is wrong and how to fix it'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "explain" -d 'Explain a check: what it looks at, why it matters, how to fix what it finds'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "analyze" -d 'Read a trace export (Jaeger, OTLP or Zipkin JSON, or span lines) and report clock skew, broken propagation and service-name problems'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "completions" -d 'Print a shell completion script to standard output'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "man" -d 'Print the man page (roff) to standard output'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "decode-header" -d 'Decode and validate trace-context propagation headers (W3C, B3, Jaeger, X-Ray, Datadog, grpc-trace-bin, sw8), or convert them to another format'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "send-test-span" -d 'Send a synthetic trace over any tracing protocol and print a receipt of what the receiver answered'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "listen" -d 'Receive spans on every tracing port at once, show them, and diagnose what arrives'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "check-propagation" -d 'Send a request with a fresh trace context to a running service and prove that it continues the trace and forwards it downstream'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man decode-header send-test-span listen check-propagation help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
