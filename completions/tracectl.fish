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
complete -c tracectl -n "__fish_tracectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -s f -l format -d 'Output format' -r -f -a "human\t'Aligned text for people, grouped by family'
json\t'One JSON document (schema in docs/output.md)'
github\t'GitHub Actions workflow annotations'"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l env-file -d 'Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable, later files win' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l env-file-format -d 'How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker (`docker run --env-file`: the value is everything after `=`, quotes included)' -r -f -a "dotenv\t'dotenv / docker compose `env_file`: quotes are removed, `\\n` escapes work in double quotes, `# comments` after unquoted values are dropped, `export ` is allowed'
docker\t'`docker run --env-file`: everything after the first `=` is the value, quotes included'"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l set -d 'Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable, wins over the environment and env files' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l sdk -d 'Apply this SDK\'s documented defaults where they differ from the spec (default protocol, default service name, timeout units)' -r -f -a "spec\t'The OpenTelemetry specification\'s defaults'
go\t''
java\t''
javaagent\t''
python\t''
node\t''
dotnet\t''
rust\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l timeout -d 'Deadline for the whole run, network probes included (e.g. 500ms, 3s, 1m)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l collector-config -d 'Also lint this OpenTelemetry Collector (or Jaeger v2) config YAML, and check it against the app\'s settings' -r -F
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l select -d 'Run only these checks: ids, names or family names, comma-separated or repeated' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l skip -d 'Do not run these checks: ids, names or family names, comma-separated or repeated' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l severity -d 'Change a check\'s severity, e.g. --severity SVC004=info (id or name; repeatable)' -r
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l fail-on -d 'The lowest severity that makes the run exit 1' -r -f -a "info\t''
warning\t''
error\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l list-checks -d 'List the checks instead of running them'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l no-env -d 'Ignore this process\'s environment: only --env-file and --set count'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -l offline -d 'Skip every check that needs the network, saying so in the report'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracectl -n "__fish_tracectl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s f -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -l color -d 'When to colour output: auto colours only on a terminal and never when NO_COLOR is set' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s h -l help -d 'Print help'
complete -c tracectl -n "__fish_tracectl_using_subcommand explain" -s V -l version -d 'Print version'
complete -c tracectl -n "__fish_tracectl_using_subcommand analyze" -s f -l format -d 'Output format' -r -f -a "human\t'Aligned text for people, grouped by family'
json\t'One JSON document (schema in docs/output.md)'
github\t'GitHub Actions workflow annotations'"
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
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man help" -f -a "doctor" -d 'Check the tracing settings an app would run with, and report what is wrong and how to fix it'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man help" -f -a "explain" -d 'Explain a check: what it looks at, why it matters, how to fix what it finds'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man help" -f -a "analyze" -d 'Read a trace export (Jaeger, OTLP or Zipkin JSON, or span lines) and report clock skew, broken propagation and service-name problems'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man help" -f -a "completions" -d 'Print a shell completion script to standard output'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man help" -f -a "man" -d 'Print the man page (roff) to standard output'
complete -c tracectl -n "__fish_tracectl_using_subcommand help; and not __fish_seen_subcommand_from doctor explain analyze completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
