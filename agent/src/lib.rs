//! wand-agent: language models write programs over the primitives, the programs run in
//! the sandbox on the seeded scene, and what happened goes back to the model until the
//! task succeeds or the attempt budget is spent. The only crate that touches the network.

pub mod cache; // response cache: --cache off|on|replay, one JSON file per request
pub mod llm; // LanguageModel and its providers, wrappers and fakes
