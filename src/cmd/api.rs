//! `wand api`: the primitive reference, generated from the registry — exactly what a
//! language model is shown.

use std::process::ExitCode;

/// Arguments of `wand api`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print Markdown (the text of docs/API.md) instead of plain text.
    #[arg(long)]
    markdown: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let reference = if args.markdown {
        wand_primitives::reference::markdown()
    } else {
        wand_primitives::reference::text()
    };
    print!("{reference}");
    Ok(ExitCode::from(super::EXIT_OK))
}
