//! wand-agent: language models write programs over the primitives, the programs run in
//! the sandbox on the seeded scene, and what happened goes back to the model until the
//! task succeeds or the attempt budget is spent. The only crate that touches the network.

pub mod cache; // response cache: --cache off|on|replay, one JSON file per request
pub mod eval; // experiments: the episode grid, episodes.jsonl and resume, summaries
pub mod extract; // code out of replies; calls to functions nobody defined
pub mod llm; // LanguageModel and its providers, wrappers and fakes
pub mod prompt; // system text, API reference, examples, scene, instruction
pub mod run; // the closed state machine: generate, check, run, judge, feedback
pub mod skills; // the skill library: verified functions later programs call
pub mod transcript; // JSONL record of every run
pub mod verify; // task families over seeds: reference programs and the builtin planner
