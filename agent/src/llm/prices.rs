//! What a call cost, from a small table of list prices.
//!
//! Prices change and providers discount (batch, cached input): the table is indicative,
//! for comparing runs, not for billing. Local models (Ollama, vLLM, llama.cpp) and models
//! not listed have no price.

use super::Usage;

/// USD per million input and output tokens, keyed by model-name prefix (the longest
/// matching prefix wins, so dated variants such as `gpt-4o-2024-08-06` find their family).
const PRICES_USD_PER_MTOK: &[(&str, f64, f64)] = &[
    ("gpt-4o", 2.50, 10.00),
    ("gpt-4o-mini", 0.15, 0.60),
    ("gpt-4.1", 2.00, 8.00),
    ("gpt-4.1-mini", 0.40, 1.60),
    ("gpt-4.1-nano", 0.10, 0.40),
    ("gpt-5", 1.25, 10.00),
    ("gpt-5-mini", 0.25, 2.00),
    ("gpt-5-nano", 0.05, 0.40),
    ("o3-mini", 1.10, 4.40),
    ("o4-mini", 1.10, 4.40),
    ("claude-3-5-sonnet", 3.00, 15.00),
    ("claude-3-7-sonnet", 3.00, 15.00),
    ("claude-sonnet-4", 3.00, 15.00),
    ("claude-3-5-haiku", 0.80, 4.00),
    ("claude-haiku-4-5", 1.00, 5.00),
    ("claude-opus-4", 15.00, 75.00),
    ("claude-opus-4-5", 5.00, 25.00),
];

/// The price per million (input, output) tokens of `model`, if the table knows it.
/// Takes a bare model name, a `provider:model` name or an OpenRouter `vendor/model` one.
pub fn price_per_mtok(model: &str) -> Option<(f64, f64)> {
    let bare = model.rsplit(['/']).next().unwrap_or(model);
    let bare = match bare.split_once(':') {
        Some(("openai" | "anthropic", rest)) => rest,
        _ => bare,
    };
    PRICES_USD_PER_MTOK
        .iter()
        .filter(|(prefix, _, _)| bare.starts_with(prefix))
        .max_by_key(|(prefix, _, _)| prefix.len())
        .map(|&(_, input, output)| (input, output))
}

/// What `usage` cost on `model`, in USD; `None` for unknown and local models.
///
/// ```
/// use wand_agent::llm::{Usage, prices::cost_usd};
/// let usage = Usage { prompt_tokens: 1_000_000, ..Usage::default() };
/// assert_eq!(cost_usd("openai:gpt-4o-mini", &usage), Some(0.15));
/// assert_eq!(cost_usd("openai:llama3.1:8b", &usage), None);
/// ```
pub fn cost_usd(model: &str, usage: &Usage) -> Option<f64> {
    let (input, output) = price_per_mtok(model)?;
    Some((usage.prompt_tokens as f64 * input + usage.completion_tokens as f64 * output) / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_prefix_wins() {
        assert_eq!(price_per_mtok("gpt-4o-mini-2024-07-18"), Some((0.15, 0.60)));
        assert_eq!(price_per_mtok("gpt-4o-2024-08-06"), Some((2.50, 10.00)));
        assert_eq!(
            price_per_mtok("anthropic:claude-opus-4-5"),
            Some((5.0, 25.0))
        );
        assert_eq!(price_per_mtok("openai/gpt-4.1-mini"), Some((0.40, 1.60)));
        assert_eq!(price_per_mtok("builtin"), None);
    }
}
