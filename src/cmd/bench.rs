//! `wand bench`.

use std::process::ExitCode;

/// Arguments of `wand bench`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
