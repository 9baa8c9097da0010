//! `wand api`: the primitive reference, generated from the registry — exactly what a
//! language model is shown.

use std::process::ExitCode;
use wand_primitives::ApiLevel;

/// Arguments of `wand api`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print Markdown (the text of docs/API.md, every primitive) instead of plain text.
    #[arg(long)]
    markdown: bool,
    /// The primitives offered: `high` (all, with the composed skills) or `low` (the
    /// building blocks only), as a program at that `--api` level sees them.
    #[arg(long, value_enum, default_value_t = ApiLevel::High, conflicts_with = "markdown")]
    level: ApiLevel,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let reference = if args.markdown {
        wand_primitives::reference::markdown()
    } else {
        wand_primitives::reference::text_for(args.level)
    };
    print!("{reference}");
    Ok(ExitCode::from(super::EXIT_OK))
}
