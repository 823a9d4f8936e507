//! `tracectl explain`, `completions` and `man`: about tracectl itself.

use clap::Args;

use super::DataFormat;

pub(super) const EXPLAIN_HELP: &str = "\
Examples:
  tracectl explain SVC001
  tracectl explain service-name-unset
  tracectl explain EXP001 --format json

Exit codes:
  0  the check was found and explained
  2  no check has that id or name";

pub(super) const COMPLETIONS_HELP: &str = "\
Examples:
  tracectl completions bash > ~/.local/share/bash-completion/completions/tracectl
  tracectl completions zsh > \"${fpath[1]}/_tracectl\"
  tracectl completions fish > ~/.config/fish/completions/tracectl.fish

Exit codes:
  0  the script was printed
  2  usage error (e.g. a shell that is not listed)";

pub(super) const MAN_HELP: &str = "\
Examples:
  tracectl man > tracectl.1 && man ./tracectl.1

Exit codes:
  0  the page was printed
  2  usage error";

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A check id (e.g. SVC001) or name (e.g. service-name-unset).
    #[arg(value_name = "ID|NAME")]
    pub check: String,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DataFormat::Human)]
    pub format: DataFormat,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
