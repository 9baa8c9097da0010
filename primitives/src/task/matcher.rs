//! Instruction templates: "put the {block} (in|into) the {bowl} [please]".
//!
//! A template is words, `{param}` slots, `(a|b)` alternatives and `[optional]` parts.
//! Instructions and templates go through the same [`normalize`] (lowercase, no
//! punctuation, no articles, synonyms folded, numbers in digits), so a template need not
//! spell out "place"/"move"/"put" or "onto"/"on top of"/"on". A match must account for
//! every word of the instruction: a clause the template does not have means no match.

use super::ParamValue;
use std::collections::BTreeMap;

/// Most concrete word sequences one template may stand for.
const MAX_EXPANSIONS: usize = 512;

/// Words of `text` after lowercasing, dropping punctuation and articles, and folding
/// synonyms: what both instructions and templates are compared as.
pub fn normalize(text: &str) -> Vec<String> {
    normalize_with(text, true)
}

/// The ways an instruction reads: with phrases folded ("on top of" → "on"), and, where
/// that changes anything, without (a slot may sit inside the phrase: "on the {top} of").
pub fn readings(text: &str) -> Vec<Vec<String>> {
    let folded = normalize_with(text, true);
    let plain = normalize_with(text, false);
    if plain == folded {
        vec![folded]
    } else {
        vec![folded, plain]
    }
}

fn normalize_with(text: &str, phrases: bool) -> Vec<String> {
    let lowered = text.to_lowercase();
    let chars: Vec<char> = lowered.chars().collect();
    let mut cleaned = String::with_capacity(chars.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let digit_before = i > 0 && chars[i - 1].is_ascii_digit();
        let digit_after = chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        if c.is_alphanumeric() || (c == '.' && digit_before && digit_after) {
            // "10cm" → "10 cm", but "2nd" stays one word.
            if digit_before && c.is_alphabetic() && !is_ordinal_suffix(&chars[i..]) {
                cleaned.push(' ');
            }
            cleaned.push(c);
        } else if c == '&' {
            cleaned.push_str(" and ");
        } else {
            cleaned.push(' ');
        }
    }
    let mut words: Vec<String> = Vec::new();
    for word in cleaned.split_whitespace() {
        let folded = fold(word);
        if !folded.is_empty() {
            words.push(folded.to_string());
        }
    }
    if phrases {
        fold_phrases(&mut words);
    }
    // Polite openings carry no task.
    while let [first, second, ..] = &words[..] {
        if ["can", "could", "would", "will"].contains(&first.as_str()) && second == "you" {
            words.drain(..2);
        } else {
            break;
        }
    }
    words
}

fn is_ordinal_suffix(rest: &[char]) -> bool {
    let word: String = rest.iter().take_while(|c| c.is_alphanumeric()).collect();
    ["st", "nd", "rd", "th"].contains(&word.as_str())
}

/// One word's canonical form ("" drops it).
fn fold(word: &str) -> &str {
    match word {
        "the" | "a" | "an" | "please" | "kindly" => "",
        "cube" => "block",
        "cubes" => "blocks",
        "grey" => "gray",
        "colour" | "colours" | "colors" => "color",
        "centre" | "center" => "middle",
        "upper" => "top",
        "lower" => "bottom",
        "edge" => "side",
        "edges" => "sides",
        "into" | "inside" | "within" => "in",
        "onto" | "atop" => "on",
        "place" | "move" | "set" | "drop" | "bring" | "carry" | "transfer" | "position"
        | "relocate" | "shift" => "put",
        "placing" | "moving" | "putting" => "putting",
        "nearest" | "closest" => "closest",
        "furthest" | "farthest" => "farthest",
        "afterwards" => "then",
        "cms" | "centimeter" | "centimeters" | "centimetre" | "centimetres" => "cm",
        "meter" | "meters" | "metre" | "metres" => "m",
        "mms" | "millimeter" | "millimeters" | "millimetre" | "millimetres" => "mm",
        "zero" => "0",
        "one" => "1",
        "two" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        "six" => "6",
        "seven" => "7",
        "eight" => "8",
        "nine" => "9",
        "ten" => "10",
        "eleven" => "11",
        "twelve" => "12",
        "fifteen" => "15",
        "twenty" => "20",
        "thirty" => "30",
        "forty" => "40",
        "fifty" => "50",
        "first" => "1st",
        "second" => "2nd",
        "third" => "3rd",
        "fourth" => "4th",
        "fifth" => "5th",
        "sixth" => "6th",
        other => other,
    }
}

/// Folds phrases that mean one word: "on top of" → "on", "inside of" → "in",
/// "and then" / "after that" → "then".
fn fold_phrases(words: &mut Vec<String>) {
    const PHRASES: [(&[&str], &str); 5] = [
        (&["on", "top", "of"], "on"),
        (&["in", "of"], "in"),
        (&["and", "then"], "then"),
        (&["after", "that"], "then"),
        (&["then", "then"], "then"),
    ];
    let mut i = 0;
    while i < words.len() {
        let hit = PHRASES.iter().find(|(phrase, _)| {
            words.len() - i >= phrase.len() && phrase.iter().zip(&words[i..]).all(|(p, w)| p == w)
        });
        match hit {
            Some((phrase, to)) => {
                words.splice(i..i + phrase.len(), [to.to_string()]);
            }
            None => i += 1,
        }
    }
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The template as written.
    pub text: String,
    nodes: Vec<Node>,
    expansions: Vec<Vec<Elem>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Slot(String),
    /// `(a|b)`: one of the alternatives.
    Alt(Vec<Vec<Node>>),
    /// `[a|b]`: one of the alternatives, or nothing.
    Optional(Vec<Vec<Node>>),
}

/// One element of a concrete word sequence.
#[derive(Debug, Clone, PartialEq)]
enum Elem {
    Word(String),
    Slot(String),
}

/// How a slot reads words: given the words from the slot's position, the ways it can
/// match, each as (words used, value).
pub type SlotReader<'a> = dyn Fn(&str, &[String]) -> Vec<(usize, ParamValue)> + 'a;

impl Template {
    /// Parses a template; an error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Template, String> {
        let chars: Vec<char> = text.chars().collect();
        let mut pos = 0;
        let alternatives = parse_group(&chars, &mut pos, None)?;
        if alternatives.len() != 1 {
            return Err(format!(
                "template \"{text}\": '|' outside (...) or [...]; write alternatives as (a|b)"
            ));
        }
        let nodes = alternatives.into_iter().next().unwrap_or_default();
        let expansions = expand(&nodes);
        if expansions.len() > MAX_EXPANSIONS {
            return Err(format!(
                "template \"{text}\" stands for {} word sequences (at most {MAX_EXPANSIONS}); \
                 split it into several templates",
                expansions.len()
            ));
        }
        if expansions.iter().all(|e| e.is_empty()) {
            return Err(format!("template \"{text}\" has no words"));
        }
        let polite = |e: &Vec<Elem>| {
            matches!(&e[..], [Elem::Word(a), Elem::Word(b), ..]
                if ["can", "could", "would", "will"].contains(&a.as_str()) && b == "you")
        };
        if expansions.iter().any(polite) {
            return Err(format!(
                "template \"{text}\" starts with a polite opening (\"can you\", ...), which \
                 instructions lose before matching; leave it out of the template"
            ));
        }
        Ok(Template {
            text: text.to_string(),
            nodes,
            expansions,
        })
    }

    /// The parameter names of its slots, each once, in order.
    pub fn slots(&self) -> Vec<String> {
        let mut names = Vec::new();
        collect_slots(&self.nodes, &mut names);
        names
    }

    /// Whether every word sequence the template stands for has the slot `name`.
    pub fn always_has(&self, name: &str) -> bool {
        self.expansions
            .iter()
            .all(|e| e.iter().any(|x| matches!(x, Elem::Slot(s) if s == name)))
    }

    /// The instruction this template reads as for `values` (each slot's text): the first
    /// alternative of each choice, optional parts included.
    pub fn render(&self, values: &dyn Fn(&str) -> String) -> String {
        self.render_variant(values, 0)
    }

    /// The instruction this template reads as, with the choices made by `variant`: 0 is
    /// [`Template::render`]'s; other numbers pick other alternatives and leave optional
    /// parts out, deterministically, so that tests and `wand tasks verify` try every
    /// wording over seeds.
    pub fn render_variant(&self, values: &dyn Fn(&str) -> String, variant: u64) -> String {
        let mut state = variant;
        let mut pick = |n: usize| -> usize {
            if variant == 0 {
                return 0;
            }
            // SplitMix64: a fixed sequence of choices for each variant.
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) % n as u64) as usize
        };
        let mut out = String::new();
        render_nodes(&self.nodes, values, &mut pick, &mut out);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Matches the normalized instruction `words` whole. Returns the parameters and how
    /// many literal words the match used (more is more specific).
    pub fn matches(
        &self,
        words: &[String],
        read: &SlotReader<'_>,
    ) -> Option<(BTreeMap<String, ParamValue>, usize)> {
        self.expansions
            .iter()
            .filter_map(|elems| {
                let mut params = BTreeMap::new();
                match_elems(elems, words, read, &mut params).then(|| {
                    let literals = elems.iter().filter(|e| matches!(e, Elem::Word(_))).count();
                    (params, literals)
                })
            })
            .max_by_key(|(_, literals)| *literals)
    }
}

fn parse_group(
    chars: &[char],
    pos: &mut usize,
    close: Option<char>,
) -> Result<Vec<Vec<Node>>, String> {
    let text: String = chars.iter().collect();
    let mut alternatives = vec![Vec::new()];
    let mut word = String::new();
    let flush = |word: &mut String, alternatives: &mut Vec<Vec<Node>>| {
        if !word.trim().is_empty() {
            let last = alternatives.last_mut().expect("one alternative");
            last.push(Node::Text(std::mem::take(word)));
        }
        word.clear();
    };
    while *pos < chars.len() {
        let c = chars[*pos];
        *pos += 1;
        match c {
            '{' => {
                flush(&mut word, &mut alternatives);
                let end = chars[*pos..]
                    .iter()
                    .position(|&c| c == '}')
                    .ok_or_else(|| format!("template \"{text}\": '{{' without '}}'"))?;
                let name: String = chars[*pos..*pos + end].iter().collect();
                let name = name.trim().to_string();
                if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    return Err(format!(
                        "template \"{text}\": '{{{name}}}' is not a parameter name"
                    ));
                }
                *pos += end + 1;
                alternatives
                    .last_mut()
                    .expect("one alternative")
                    .push(Node::Slot(name));
            }
            '(' | '[' => {
                flush(&mut word, &mut alternatives);
                let closing = if c == '(' { ')' } else { ']' };
                let inner = parse_group(chars, pos, Some(closing))?;
                let node = if c == '(' {
                    Node::Alt(inner)
                } else {
                    Node::Optional(inner)
                };
                alternatives.last_mut().expect("one alternative").push(node);
            }
            '|' => {
                flush(&mut word, &mut alternatives);
                alternatives.push(Vec::new());
            }
            ')' | ']' | '}' => {
                if close != Some(c) {
                    return Err(format!("template \"{text}\": unbalanced '{c}'"));
                }
                flush(&mut word, &mut alternatives);
                return Ok(alternatives);
            }
            other => word.push(other),
        }
    }
    if let Some(c) = close {
        return Err(format!("template \"{text}\": missing '{c}'"));
    }
    flush(&mut word, &mut alternatives);
    Ok(alternatives)
}

fn collect_slots(nodes: &[Node], names: &mut Vec<String>) {
    for node in nodes {
        match node {
            Node::Slot(name) if !names.contains(name) => names.push(name.clone()),
            Node::Alt(alts) | Node::Optional(alts) => {
                alts.iter().for_each(|a| collect_slots(a, names));
            }
            _ => {}
        }
    }
}

fn render_nodes(
    nodes: &[Node],
    values: &dyn Fn(&str) -> String,
    pick: &mut dyn FnMut(usize) -> usize,
    out: &mut String,
) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Slot(name) => out.push_str(&values(name)),
            Node::Alt(alts) => {
                let choice = pick(alts.len());
                render_nodes(&alts[choice], values, pick, out);
            }
            // One more choice than alternatives: the last leaves the part out.
            Node::Optional(alts) => {
                let choice = pick(alts.len() + 1);
                if let Some(alt) = alts.get(choice) {
                    render_nodes(alt, values, pick, out);
                }
            }
        }
        out.push(' ');
    }
    // Punctuation written right after a slot or group ("{a}, then") keeps its place.
    let tidy = out.replace(" ,", ",").replace(" .", ".").replace(" ;", ";");
    *out = tidy;
}

fn expand(nodes: &[Node]) -> Vec<Vec<Elem>> {
    let mut sequences: Vec<Vec<Elem>> = vec![Vec::new()];
    for node in nodes {
        let options: Vec<Vec<Elem>> = match node {
            Node::Text(text) => vec![normalize(text).into_iter().map(Elem::Word).collect()],
            Node::Slot(name) => vec![vec![Elem::Slot(name.clone())]],
            Node::Alt(alts) => alts.iter().flat_map(|a| expand(a)).collect(),
            Node::Optional(alts) => {
                let mut options: Vec<Vec<Elem>> = alts.iter().flat_map(|a| expand(a)).collect();
                options.push(Vec::new());
                options
            }
        };
        let mut next = Vec::with_capacity(sequences.len() * options.len());
        for sequence in &sequences {
            for option in &options {
                let mut joined = sequence.clone();
                joined.extend(option.iter().cloned());
                next.push(joined);
            }
        }
        sequences = next;
        if sequences.len() > MAX_EXPANSIONS {
            return sequences;
        }
    }
    sequences.dedup();
    sequences
}

/// Whether `elems` match all of `words`, filling `params` (a slot used twice must read
/// the same value both times).
fn match_elems(
    elems: &[Elem],
    words: &[String],
    read: &SlotReader<'_>,
    params: &mut BTreeMap<String, ParamValue>,
) -> bool {
    let Some((first, rest)) = elems.split_first() else {
        return words.is_empty();
    };
    match first {
        Elem::Word(w) => words.first() == Some(w) && match_elems(rest, &words[1..], read, params),
        Elem::Slot(name) => {
            for (used, value) in read(name, words) {
                if used == 0 || used > words.len() {
                    continue;
                }
                if let Some(seen) = params.get(name) {
                    if *seen != value {
                        continue;
                    }
                    if match_elems(rest, &words[used..], read, params) {
                        return true;
                    }
                    continue;
                }
                params.insert(name.clone(), value);
                if match_elems(rest, &words[used..], read, params) {
                    return true;
                }
                params.remove(name);
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        normalize(text)
    }

    #[test]
    fn normalize_folds_what_people_type() {
        assert_eq!(
            words("Could you PLACE the red cube on top of the blue block, please?"),
            ["put", "red", "block", "on", "blue", "block"]
        );
        assert_eq!(
            words("push it 10cm left"),
            ["push", "it", "10", "cm", "left"]
        );
        assert_eq!(words("the second block"), ["2nd", "block"]);
        assert_eq!(words("move 0.1 m"), ["put", "0.1", "m"]);
        assert_eq!(words("the 3rd one"), ["3rd", "1"]);
        assert_eq!(words("into the centre"), ["in", "middle"]);
    }

    #[test]
    fn templates_match_whole_instructions_only() {
        let t = Template::parse("put the {block} (in|on) the {bowl} [now]").unwrap();
        assert_eq!(t.slots(), ["block", "bowl"]);
        let read = |name: &str, w: &[String]| -> Vec<(usize, ParamValue)> {
            let names = [["red", "block"], ["green", "bowl"]];
            names
                .iter()
                .filter(|n| w.len() >= 2 && w[0] == n[0] && w[1] == n[1])
                .filter(|n| (name == "block") == (n[1] == "block"))
                .map(|n| (2, ParamValue::Text(n.join(" "))))
                .collect()
        };
        let (params, _) = t
            .matches(&words("Move the red block into the green bowl"), &read)
            .unwrap();
        assert_eq!(params["bowl"], ParamValue::Text("green bowl".into()));
        assert!(
            t.matches(&words("put the red block in the green bowl now"), &read)
                .is_some()
        );
        assert!(
            t.matches(
                &words("put the red block in the green bowl and juggle"),
                &read
            )
            .is_none()
        );
        assert_eq!(
            t.render(&|name| format!("<{name}>")),
            "put the <block> in the <bowl> now"
        );
    }

    #[test]
    fn malformed_templates_say_what_is_wrong() {
        for (text, expected) in [
            ("put the {block in", "without '}'"),
            ("put (a|b", "missing ')'"),
            ("put a) b", "unbalanced ')'"),
            ("put {a b}", "not a parameter name"),
            ("a | b", "outside"),
            ("(can|could) you put {a} away", "polite opening"),
        ] {
            let err = Template::parse(text).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }
}
